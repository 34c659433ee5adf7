package org.solstice.orchestrator.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.solstice.orchestrator.config.CapacityMap;
import org.solstice.orchestrator.config.ConfigException;
import org.solstice.orchestrator.config.ImageDefinition;
import org.solstice.orchestrator.config.ImageMap;
import org.solstice.orchestrator.config.ImageMapLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code orchestrator validate-config}: loads the image map and shows what every label resolves to. */
@Command(name = "validate-config", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Check the image map and print every label, alias and resolved image with its resources."
                + " Errors name the file, line and key; the exit status is 1 when the map is invalid.")
public class ValidateConfigCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            defaultValue = "${env:ORCH_CONFIG:-examples/orchestrator-image-map.yaml}",
            description = "Image map (YAML) (env ORCH_CONFIG; default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--capacity-map", paramLabel = "LABEL=N,...", defaultValue = "${env:CAPACITY_MAP:-}",
            description = "Also check these per-label limits against the map (env CAPACITY_MAP).")
    String capacityMap;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ImageMap map;
        CapacityMap capacities;
        try {
            map = ImageMapLoader.load(config);
            capacities = CapacityMap.parse(capacityMap, map);
        } catch (ConfigException e) {
            err.println("invalid: " + e.getMessage());
            return 1;
        }
        out.printf("%s: valid%n", config);
        out.printf("default label: %s -> %s%n%n", map.defaultLabel(),
                map.resolve(map.defaultLabel()).map(ImageDefinition::name).orElseThrow());
        out.println("labels:");
        for (String label : map.labels()) {
            out.printf("  %-28s %s%n", label, String.join(" -> ", map.chain(label)));
        }
        out.println();
        out.println("images:");
        for (ImageDefinition image : map.images().values()) {
            out.printf("  %s%n", image.name());
            out.printf("    source:     %s%n", image.source());
            out.printf("    local_path: %s%n", image.localPath());
            out.printf("    decompress: %s   nocloud: %s   backend: %s%n", image.decompress().name().toLowerCase(),
                    image.nocloud(), image.backend() == null ? "(host default)" : image.backend());
            out.printf("    resources:  %d CPU, %d MiB memory, disk %s%n", image.cpus(), image.memoryMiB(),
                    image.diskGiB() == 0 ? "as the image" : image.diskGiB() + " GiB");
            out.printf("    hardware:   %s%n", image.hardware().describe());
            if (image.sha256() != null) {
                out.printf("    sha256:     %s%n", image.sha256());
            }
            if (image.timeout() != null) {
                out.printf("    timeout:    %s%n", image.timeout());
            }
            if (image.jobScript() != null) {
                out.printf("    job_script: custom (%d lines)%n", image.jobScript().lines().count());
            }
            capacities.capacityOf(image.name()).ifPresent(c -> out.printf("    capacity:   %d%n", c));
        }
        out.flush();
        return 0;
    }
}
