package org.solstice.orchestrator.hypervisor.zones;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.solstice.orchestrator.process.CommandResult;
import org.solstice.orchestrator.process.CommandRunner;

/**
 * The illumos command simulator (src/test/resources/illumos-sim) installed in a temporary directory: its
 * programs are copied to {@code bin/} with the executable bit set (resources lose it when Maven copies them),
 * its state kept in {@code state/}, volumes appear under {@code dev/zvol/rdsk}, zonepaths under {@code zones/}.
 */
final class IllumosSimulator {
    static final String LINK = "igb0";
    private static final List<String> FILES = List.of("illumos_sim.py", "sim_state.py", "sim_zonecfg.py",
            "sim_zoneadm.py", "sim_console.py", "sim_zfs.py", "sim_dladm.py", "zonecfg", "zoneadm", "zfs", "dladm", "zlogin");
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path bin;
    final Path state;
    final Path zvolRoot;
    final Path zonesRoot;
    private final Map<String, String> environment;

    IllumosSimulator(Path root) throws IOException {
        bin = Files.createDirectories(root.resolve("sim-bin"));
        state = Files.createDirectories(root.resolve("sim-state"));
        zvolRoot = root.resolve("sim-dev/zvol/rdsk");
        zonesRoot = Files.createDirectories(root.resolve("zones"));
        for (String file : FILES) {
            try (InputStream in = IllumosSimulator.class.getResourceAsStream("/illumos-sim/" + file)) {
                if (in == null) {
                    throw new IllegalStateException("simulator file illumos-sim/" + file + " is not on the test classpath");
                }
                Path target = bin.resolve(file);
                Files.copy(in, target);
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        environment = Map.of(
                "PATH", bin + ":" + System.getenv("PATH"),
                "ILLUMOS_SIM_STATE", state.toString(),
                "ILLUMOS_SIM_ZVOL_ROOT", zvolRoot.toString(),
                "ILLUMOS_SIM_POOLS", "rpool",
                "ILLUMOS_SIM_LINKS", LINK);
    }

    /** A simulator with the backend's default datasets created, as docs/zones.md tells the operator to. */
    static IllumosSimulator withDefaultDatasets(Path root) throws IOException {
        IllumosSimulator sim = new IllumosSimulator(root);
        sim.run("zfs", "create", "-p", "rpool/solstice/images");
        sim.run("zfs", "create", "-p", "rpool/solstice/jobs");
        sim.clearLog();
        return sim;
    }

    Map<String, String> environment() {
        return environment;
    }

    ZonesConfig.Builder config() {
        return ZonesConfig.builder(LINK)
                .commandsIn(bin)
                .zvolDeviceRoot(zvolRoot)
                .zonepathRoot(zonesRoot)
                .commandTimeout(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .isoTool(isoTool());
    }

    ZonesHypervisor hypervisor(ZonesConfig config) {
        return new ZonesHypervisor(config, environment);
    }

    CommandResult run(String... command) {
        List<String> argv = new ArrayList<>(List.of(command));
        argv.set(0, bin.resolve(command[0]).toString());
        CommandResult result = new CommandRunner(environment).run(argv, Duration.ofSeconds(20));
        if (!result.succeeded()) {
            throw new IllegalStateException(String.join(" ", command) + ": " + result.stderr());
        }
        return result;
    }

    /** Every simulated command run so far, as argument lists (program first). */
    List<List<String>> commands() throws IOException {
        Path log = state.resolve("commands.log");
        List<List<String>> commands = new ArrayList<>();
        if (Files.exists(log)) {
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                commands.add(JSON.readValue(line, new TypeReference<List<String>>() { }));
            }
        }
        return commands;
    }

    void clearLog() throws IOException {
        Files.deleteIfExists(state.resolve("commands.log"));
    }

    /** Makes the simulator fail or misbehave: install-fails, boot-fails, shutdown-ignored. */
    void inject(String fault, String message) throws IOException {
        Files.createDirectories(state.resolve("inject"));
        Files.writeString(state.resolve("inject").resolve(fault), message);
    }

    void clear(String fault) throws IOException {
        Files.deleteIfExists(state.resolve("inject").resolve(fault));
    }

    /** Kills guests still running (a failed test must not leave processes behind); returns how many there were. */
    int killGuests() throws IOException {
        Path file = state.resolve("state.json");
        if (!Files.exists(file)) {
            return 0;
        }
        int killed = 0;
        for (JsonNode zone : JSON.readTree(file.toFile()).path("zones")) {
            if (zone.hasNonNull("guest_pid")) {
                long pid = zone.get("guest_pid").asLong();
                ProcessHandle.of(pid).ifPresent(p -> {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                });
                killed++;
            }
        }
        return killed;
    }

    static String isoTool() {
        for (String candidate : List.of("genisoimage", "mkisofs")) {
            for (String dir : System.getenv("PATH").split(":")) {
                if (Files.isExecutable(Path.of(dir, candidate))) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("the zones tests need genisoimage or mkisofs to build NoCloud seeds");
    }
}
