package org.solstice.orchestrator.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.solstice.orchestrator.config.ConfigException;
import org.solstice.orchestrator.config.ImageDefinition;
import org.solstice.orchestrator.config.ImageMap;
import org.solstice.orchestrator.config.ImageMapLoader;
import org.solstice.orchestrator.images.ImageOnDisk;
import org.solstice.orchestrator.images.ImageRecord;
import org.solstice.orchestrator.images.TransferRate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code images list}: one line per image with its labels, state on disk, size, checksum and source. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Show each image: labels resolving to it, state (ready, stale, partial, missing), size, "
                + "SHA-256 (of the image on disk, else the one the map expects) and source.")
public final class ImagesListCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", defaultValue = ImagesCommand.CONFIG_DEFAULT,
            description = "Image map (default: ${DEFAULT-VALUE}; environment ORCH_CONFIG).")
    Path config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ImageMap map;
        try {
            map = ImageMapLoader.load(config);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 2;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "STATE", "SIZE", "SHA256", "LABELS", "SOURCE"});
        for (ImageDefinition image : map.images().values()) {
            ImageOnDisk onDisk = ImageOnDisk.of(image);
            String sha = onDisk.record().map(ImageRecord::sha256)
                    .orElse(image.sha256() == null ? "-" : image.sha256().toLowerCase(java.util.Locale.ROOT));
            rows.add(new String[] {image.name(), onDisk.state().label(),
                    onDisk.size() < 0 ? "-" : TransferRate.bytes(onDisk.size()), sha, labels(map, image),
                    image.source().toString()});
        }
        TextTable.print(spec.commandLine().getOut(), rows);
        return 0;
    }

    /** The aliases that resolve to the image, and "(default)" when jobs without a label get it. */
    private static String labels(ImageMap map, ImageDefinition image) {
        List<String> labels = new ArrayList<>();
        for (String label : map.labels()) {
            if (!label.equals(image.name())
                    && map.resolve(label).map(ImageDefinition::name).orElse("").equals(image.name())) {
                labels.add(label);
            }
        }
        if (map.resolve(null).map(ImageDefinition::name).orElse("").equals(image.name())) {
            labels.add("(default)");
        }
        return labels.isEmpty() ? "-" : String.join(",", labels);
    }
}
