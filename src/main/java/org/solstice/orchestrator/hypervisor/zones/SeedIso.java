package org.solstice.orchestrator.hypervisor.zones;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.solstice.orchestrator.hypervisor.HypervisorException;
import org.solstice.orchestrator.hypervisor.VmSpec;

/**
 * The NoCloud seed: an ISO 9660 image with volume id {@code cidata} holding {@code user-data} and
 * {@code meta-data} (instance-id = the job id, local-hostname), and {@code network-config} when the image sets
 * its network, built with genisoimage or mkisofs (Rock Ridge
 * and Joliet names so the guest sees the real file names).
 */
final class SeedIso {
    static final String FILE_NAME = "seed.iso";
    static final String NETWORK_CONFIG = "network-config";
    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,62})");

    private final HostCommands commands;
    private final ZonesConfig config;

    SeedIso(HostCommands commands, ZonesConfig config) {
        this.commands = commands;
        this.config = config;
    }

    static Path pathFor(Path jobDir) {
        return jobDir.resolve(FILE_NAME);
    }

    static String metaData(VmSpec spec) {
        if (spec.hostname() == null || !HOSTNAME.matcher(spec.hostname()).matches()) {
            throw new HypervisorException("hostname '" + spec.hostname() + "' of " + spec.vmName()
                    + " is not a valid host name");
        }
        return "instance-id: " + spec.jobId() + "\nlocal-hostname: " + spec.hostname() + "\n";
    }

    /** Writes {@code seed.iso} into the job directory; the staging files are removed whatever happens. */
    Path write(VmSpec spec) {
        Path iso = pathFor(spec.jobDir());
        Path staging = spec.jobDir().resolve("seed");
        try {
            Files.createDirectories(staging);
            Path userData = Files.writeString(staging.resolve("user-data"),
                    spec.userData() == null ? "" : spec.userData(), StandardCharsets.UTF_8);
            Path metaData = Files.writeString(staging.resolve("meta-data"), metaData(spec), StandardCharsets.UTF_8);
            List<String> command = new ArrayList<>(List.of(config.isoTool(), "-quiet", "-o", iso.toString(), "-V",
                    "cidata", "-J", "-r", userData.toString(), metaData.toString()));
            if (spec.networkConfig() != null) {
                command.add(Files.writeString(staging.resolve(NETWORK_CONFIG), spec.networkConfig(),
                        StandardCharsets.UTF_8).toString());
            }
            commands.check("building the NoCloud seed of " + spec.vmName(), command,
                    commands.timeout().compareTo(Duration.ofSeconds(10)) < 0 ? Duration.ofSeconds(10)
                            : commands.timeout(), spec.jobDir());
            return iso;
        } catch (IOException e) {
            throw new HypervisorException("cannot write the NoCloud seed of " + spec.vmName() + " in "
                    + spec.jobDir() + ": " + e, e);
        } finally {
            deleteQuietly(staging.resolve("user-data"));
            deleteQuietly(staging.resolve("meta-data"));
            deleteQuietly(staging.resolve(NETWORK_CONFIG));
            deleteQuietly(staging);
        }
    }

    static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // left for the operator: the job directory is theirs to clean
        }
    }
}
