package org.solstice.orchestrator.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.solstice.orchestrator.config.ConfigException;
import org.solstice.orchestrator.config.ImageDefinition;
import org.solstice.orchestrator.config.ImageMap;
import org.solstice.orchestrator.config.ImageMapLoader;
import org.solstice.orchestrator.config.Sizes;
import org.solstice.orchestrator.images.ImagePreparer;
import org.solstice.orchestrator.images.ImageUnavailableException;
import org.solstice.orchestrator.images.PreparationOptions;
import org.solstice.orchestrator.images.PreparationOutcome;
import org.solstice.orchestrator.images.TransferRate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code images pull [LABEL...]}: prepares images now, one after the other, with a progress bar on a terminal
 * and progress lines otherwise. Exit status 0 when all are ready, 1 when any failed, 2 for bad arguments.
 */
@Command(name = "pull", mixinStandardHelpOptions = true,
        description = "Fetch, decompress and verify images now: those the labels resolve to, or every image.")
public final class ImagesPullCommand implements Callable<Integer> {

    @Parameters(paramLabel = "LABEL", arity = "0..*", description = "Image names or aliases (default: all images).")
    List<String> labels = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE", defaultValue = ImagesCommand.CONFIG_DEFAULT,
            description = "Image map (default: ${DEFAULT-VALUE}; environment ORCH_CONFIG).")
    Path config;

    @Option(names = "--stall-timeout", paramLabel = "DURATION", defaultValue = "60s",
            description = "Abort an attempt when no bytes arrive for this long (default: ${DEFAULT-VALUE}).")
    String stallTimeout;

    @Option(names = "--attempts", paramLabel = "N", defaultValue = "5",
            description = "Attempts per image, resumed ones included (default: ${DEFAULT-VALUE}).")
    int attempts;

    @Option(names = "--progress-interval", paramLabel = "DURATION", defaultValue = "10s",
            description = "Time between progress lines when not on a terminal (default: ${DEFAULT-VALUE}).")
    String progressInterval;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, ImageDefinition> images;
        PreparationOptions options;
        try {
            images = selected(ImageMapLoader.load(config));
            boolean terminal = System.console() != null;
            options = PreparationOptions.defaults()
                    .withStallTimeout(Sizes.duration(stallTimeout))
                    .withMaxAttempts(attempts)
                    .withProgressInterval(terminal ? Duration.ofMillis(250) : Sizes.duration(progressInterval));
        } catch (ConfigException | IllegalArgumentException e) {
            err.println(e.getMessage());
            err.flush();
            return 2;
        }
        ImagePreparer preparer = new ImagePreparer(options);
        ProgressPrinter progress = new ProgressPrinter(out, System.console() != null);
        int failed = 0;
        for (ImageDefinition image : images.values()) {
            try {
                PreparationOutcome outcome = preparer.prepare(image, progress);
                out.println("image " + image.name() + ": "
                        + (outcome.result() == PreparationOutcome.Result.ALREADY_READY ? "already ready" : "ready")
                        + " at " + image.localPath() + " (" + TransferRate.bytes(outcome.size()) + ", sha256 "
                        + outcome.sha256() + ")");
            } catch (ImageUnavailableException e) {
                failed++;
                err.println(e.getMessage());
            }
            out.flush();
            err.flush();
        }
        if (failed > 0) {
            err.println(failed + " of " + images.size() + " image" + (images.size() == 1 ? "" : "s")
                    + " could not be prepared");
            err.flush();
            return 1;
        }
        return 0;
    }

    private Map<String, ImageDefinition> selected(ImageMap map) {
        if (labels.isEmpty()) {
            return map.images();
        }
        Map<String, ImageDefinition> images = new LinkedHashMap<>();
        for (String label : labels) {
            Optional<ImageDefinition> image = map.resolve(label);
            if (image.isEmpty()) {
                throw new ConfigException("LABEL", "'" + label + "' is not in the image map " + map.file()
                        + " (labels: " + String.join(", ", map.labels()) + ")");
            }
            images.putIfAbsent(image.get().name(), image.get());
        }
        return images;
    }
}
