package org.solstice.orchestrator.hypervisor.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.solstice.orchestrator.testing.VmSpecs.aVmSpec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.guest.BootstrapScript;
import org.solstice.orchestrator.guest.ExitMarker;
import org.solstice.orchestrator.hypervisor.VmHandle;
import org.solstice.orchestrator.hypervisor.VmSpec;
import org.solstice.orchestrator.messaging.JobRequest;
import org.solstice.orchestrator.messaging.JobSource;
import org.solstice.orchestrator.process.CommandRunner;

/** The orchestrator's real bootstrap user-data, run by a real guest: identity in, exit marker out, power-off. */
@Tag("libvirt")
class LibvirtGuestBootstrapTest {
    @TempDir
    Path stateDir;

    private LibvirtHypervisor hypervisor;
    private VmHandle vm;

    @BeforeEach
    void setUp() throws Exception {
        LibvirtTestEnvironment.requireLibvirt();
        LibvirtTestEnvironment.openToQemu(stateDir);
        hypervisor = new LibvirtHypervisor(LibvirtTestEnvironment.config());
        hypervisor.prepare();
    }

    @AfterEach
    void tearDown() {
        if (vm != null) {
            hypervisor.destroy(vm);
            hypervisor.cleanup(vm);
        }
        hypervisor.close();
    }

    @Test
    void theBootstrapExportsTheJobsIdentityReportsTheStatusAndPowersOff() throws Exception {
        UUID id = UUID.randomUUID();
        JobRequest job = new JobRequest(id, JobSource.MANUAL, "https://example.org/it's.git",
                "9f2c1e0b7d4a3c5e8f6a1b2c3d4e5f6a7b8c9d0e", ".solstice/workflow.kdl", "build $(x)", "solstice-test",
                Instant.parse("2026-11-24T10:15:30Z"), null, null);
        String body = "echo \"repo=$SOLSTICE_REPO_URL job=$SOLSTICE_WORKFLOW_JOB_ID\"\necho 'to stderr' >&2\nexit 5\n";
        VmSpec spec = aVmSpec().forJob(id).image("solstice-test", LibvirtTestEnvironment.image())
                .userData(BootstrapScript.render(job, "solstice-test", body)).instanceId("bootstrap-test")
                .jobDirUnder(stateDir).build();
        vm = hypervisor.provision(spec);

        hypervisor.start(vm);

        assertThat(hypervisor.awaitPowerOff(vm, Duration.ofSeconds(60))).as("guest powered off").isTrue();
        String console = Files.readString(vm.consoleLog(), StandardCharsets.UTF_8);
        assertThat(console)
                .contains("solstice: job " + id + " starting")
                .contains("repo=https://example.org/it's.git job=build $(x)")
                .contains("to stderr");
        assertThat(ExitMarker.find(console)).hasValue(5);
    }

    @Test
    void theProvisionedSeedCarriesTheImagesNetworkConfig() throws Exception {
        UUID id = UUID.randomUUID();
        String networkConfig = "# Solstice: network none\nversion: 2\nethernets: {}\n";
        VmSpec spec = aVmSpec().forJob(id).image("solstice-test", LibvirtTestEnvironment.image())
                .userData("#!/bin/sh\npoweroff -f\n").instanceId("bootstrap-test").jobDirUnder(stateDir)
                .networkConfig(networkConfig).build();

        vm = hypervisor.provision(spec);

        Path seed = vm.jobDir().resolve("seed.iso");
        String read = new CommandRunner().check(List.of("isoinfo", "-R", "-i", seed.toString(), "-x",
                "/network-config"), Duration.ofSeconds(30)).stdout();
        assertThat(read).isEqualTo(networkConfig);
    }
}
