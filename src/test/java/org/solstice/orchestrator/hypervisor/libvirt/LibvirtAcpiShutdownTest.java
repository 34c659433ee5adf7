package org.solstice.orchestrator.hypervisor.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.solstice.orchestrator.testing.VmSpecs.aVmSpec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.hypervisor.VmHandle;
import org.solstice.orchestrator.hypervisor.VmSpec;

/** Graceful stop on real QEMU: the power button is pressed again until the guest listens, and only destroy stops a guest that ignores it. */
@Tag("libvirt")
class LibvirtAcpiShutdownTest {
    private static final Duration BOOT = Duration.ofSeconds(60);
    private final String instance = "acpi-test-" + UUID.randomUUID();

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

    private VmHandle provision(String userData) {
        UUID id = UUID.randomUUID();
        VmSpec spec = aVmSpec().forJob(id).image("solstice-test", LibvirtTestEnvironment.image()).userData(userData)
                .hostname("acpi").instanceId(instance).jobDirUnder(stateDir).build();
        vm = hypervisor.provision(spec);
        return vm;
    }

    @Test
    void aGuestThatIgnoresAcpiOutlastsStopAndIsGoneAfterDestroy() throws Exception {
        VmHandle vm = provision("#!/bin/sh\nkill \"$(cat /run/powerbtn.pid)\" && echo 'ignoring ACPI'\n"
                + "while true; do sleep 1; done\n");
        hypervisor.start(vm);
        awaitConsole(vm, "ignoring ACPI");

        assertThat(hypervisor.stop(vm, Duration.ofSeconds(5))).as("stopped by the power button").isFalse();
        assertThat(hypervisor.awaitPowerOff(vm, Duration.ofMillis(500))).as("still running").isFalse();

        hypervisor.destroy(vm);
        assertThat(hypervisor.awaitPowerOff(vm, Duration.ofSeconds(5))).as("off after destroy").isTrue();
        hypervisor.cleanup(vm);
        assertThat(hypervisor.listManagedVms(instance)).isEmpty();
    }

    @Test
    void stopRightAfterStartPowersTheGuestOffOnceItListens() throws Exception {
        VmHandle vm = provision("#!/bin/sh\necho 'up'\nwhile true; do sleep 1; done\n");
        hypervisor.start(vm);

        assertThat(hypervisor.stop(vm, BOOT)).as("stopped gracefully").isTrue();
        assertThat(Files.readString(vm.consoleLog(), StandardCharsets.UTF_8))
                .contains("ACPI power button pressed");
    }

    private static void awaitConsole(VmHandle vm, String text) {
        await("the guest to print '" + text + "' on its console").atMost(BOOT).pollInterval(Duration.ofMillis(200))
                .until(() -> Files.exists(vm.consoleLog())
                        && Files.readString(vm.consoleLog(), StandardCharsets.UTF_8).contains(text));
    }
}
