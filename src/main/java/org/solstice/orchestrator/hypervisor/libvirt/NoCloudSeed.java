package org.solstice.orchestrator.hypervisor.libvirt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.solstice.orchestrator.process.CommandFailedException;
import org.solstice.orchestrator.process.CommandRunner;

/**
 * The NoCloud seed ISO cloud-init reads: volume id {@code cidata}, files {@code user-data} and {@code meta-data}
 * ({@code instance-id} and {@code local-hostname}), and {@code network-config} when the image sets its network.
 * Built with genisoimage, or mkisofs where that is what the host has.
 */
final class NoCloudSeed {
    static final String VOLUME_ID = "cidata";
    static final String NETWORK_CONFIG = "network-config";

    private final CommandRunner runner;
    private final Duration timeout;

    NoCloudSeed(CommandRunner runner, Duration timeout) {
        this.runner = runner;
        this.timeout = timeout;
    }

    /**
     * Writes the ISO; the staging directory holding the two files is removed afterwards, whatever happens.
     *
     * @throws IOException when the staging files cannot be written
     */
    void create(Path iso, Path staging, String instanceId, String hostname, String userData) throws IOException {
        create(iso, staging, instanceId, hostname, userData, null);
    }

    /** @param networkConfig the {@code network-config} file's text, or null for none (the guest uses DHCP) */
    void create(Path iso, Path staging, String instanceId, String hostname, String userData, String networkConfig)
            throws IOException {
        Files.createDirectories(staging);
        try {
            Files.writeString(staging.resolve("user-data"), userData, StandardCharsets.UTF_8);
            Files.writeString(staging.resolve("meta-data"), metaData(instanceId, hostname), StandardCharsets.UTF_8);
            if (networkConfig != null) {
                Files.writeString(staging.resolve(NETWORK_CONFIG), networkConfig, StandardCharsets.UTF_8);
            }
            List<String> command = command(isoTool(), iso, networkConfig != null);
            var result = runner.run(command, timeout, staging);
            if (!result.succeeded()) {
                throw new CommandFailedException(command, result.exitCode(), result.stdout(), result.stderr(), null);
            }
        } finally {
            Files.deleteIfExists(staging.resolve("user-data"));
            Files.deleteIfExists(staging.resolve("meta-data"));
            Files.deleteIfExists(staging.resolve(NETWORK_CONFIG));
            Files.deleteIfExists(staging);
        }
    }

    /** Run in the staging directory, so the files land in the ISO's root under exactly these names. */
    static List<String> command(String tool, Path iso) {
        return command(tool, iso, false);
    }

    static List<String> command(String tool, Path iso, boolean withNetworkConfig) {
        List<String> command = new java.util.ArrayList<>(List.of(tool, "-quiet", "-output",
                iso.toAbsolutePath().toString(), "-volid", VOLUME_ID, "-joliet", "-rock", "-input-charset", "utf-8",
                "user-data", "meta-data"));
        if (withNetworkConfig) {
            command.add(NETWORK_CONFIG);
        }
        return List.copyOf(command);
    }

    /** NoCloud meta-data; values are YAML single-quoted so any text stays a plain string. */
    static String metaData(String instanceId, String hostname) {
        return "instance-id: " + yamlQuote(instanceId) + "\nlocal-hostname: " + yamlQuote(hostname) + "\n";
    }

    static String yamlQuote(String value) {
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("meta-data value contains a control character: "
                    + value.replaceAll("\\p{Cntrl}", "?"));
        }
        return "'" + value.replace("'", "''") + "'";
    }

    /** genisoimage when installed, else mkisofs. */
    static String isoTool() {
        for (String tool : List.of("genisoimage", "mkisofs")) {
            if (onPath(tool)) {
                return tool;
            }
        }
        throw new CommandFailedException(List.of("genisoimage"), -1, "",
                "neither genisoimage nor mkisofs is on PATH (Debian: apt-get install genisoimage)", null);
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
