package org.solstice.orchestrator.hypervisor.zones;

import static org.assertj.core.api.Assertions.assertThat;
import static org.solstice.orchestrator.testing.VmSpecs.aVmSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.hypervisor.VmSpec;
import org.solstice.orchestrator.process.CommandRunner;

/** The zones backend's NoCloud seed, built for real and read back with isoinfo. */
class ZonesSeedIsoTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final CommandRunner runner = new CommandRunner();

    private VmSpec spec(String networkConfig) {
        UUID id = UUID.randomUUID();
        return aVmSpec().forJob(id).image("oi", dir.resolve("oi.raw")).backend("zones").memoryMiB(1024)
                .userData("#!/bin/sh\necho hi\n").instanceId("zones-test").jobDirUnder(dir)
                .networkConfig(networkConfig).build();
    }

    private SeedIso seeds() throws Exception {
        return new SeedIso(new HostCommands(runner, TIMEOUT), IllumosSimulator.withDefaultDatasets(dir).config()
                .build());
    }

    @Test
    void theNetworkConfigIsInTheSeedWhenTheImageSetsIt() throws Exception {
        String networkConfig = "version: 2\nethernets: {}\n";
        VmSpec spec = spec(networkConfig);
        java.nio.file.Files.createDirectories(spec.jobDir());

        Path iso = seeds().write(spec);

        assertThat(isoinfo("-R", "-i", iso.toString(), "-x", "/network-config")).isEqualTo(networkConfig);
        assertThat(isoinfo("-R", "-f", "-i", iso.toString()).lines().toList())
                .containsExactlyInAnyOrder("/user-data", "/meta-data", "/network-config");
    }

    @Test
    void withoutOneTheSeedHasNoNetworkConfig() throws Exception {
        VmSpec spec = spec(null);
        java.nio.file.Files.createDirectories(spec.jobDir());

        Path iso = seeds().write(spec);

        assertThat(isoinfo("-R", "-f", "-i", iso.toString()).lines().toList())
                .containsExactlyInAnyOrder("/user-data", "/meta-data");
    }

    private String isoinfo(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("isoinfo"));
        command.addAll(List.of(args));
        return runner.check(command, TIMEOUT).stdout();
    }
}
