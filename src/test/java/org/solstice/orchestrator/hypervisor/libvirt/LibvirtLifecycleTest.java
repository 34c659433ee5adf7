package org.solstice.orchestrator.hypervisor.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.solstice.orchestrator.testing.VmSpecs.aVmSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;
import org.libvirt.Network;
import org.solstice.orchestrator.hypervisor.HypervisorException;
import org.solstice.orchestrator.hypervisor.VmHandle;
import org.solstice.orchestrator.hypervisor.VmSpec;
import org.solstice.orchestrator.process.CommandRunner;

/**
 * The backend's life cycle against libvirt's in-process {@code test:///default} driver (no daemon; domains of
 * type {@code test} do not boot anything). Overlay and seed are made by the real qemu-img and genisoimage.
 */
class LibvirtLifecycleTest {
    private static final String URI = "test:///default";
    private static final String NETWORK = "solstice-lifecycle";

    @TempDir
    Path dir;

    /** Keeps the test driver's shared state alive and lets the test look at it behind the backend's back. */
    private Connect observer;
    private LibvirtHypervisor hypervisor;
    private final String instance = "lifecycle-" + UUID.randomUUID();

    @BeforeEach
    void setUp() throws Exception {
        observer = new Connect(URI, false);
        Network network = observer.networkDefineXML("<network><name>" + NETWORK + "</name>"
                + "<bridge name='virbr-lc'/></network>");
        network.free();
        hypervisor = new LibvirtHypervisor(config(NETWORK));
    }

    @AfterEach
    void tearDown() throws Exception {
        hypervisor.close();
        Network network = observer.networkLookupByName(NETWORK);
        if (network.isActive() == 1) {
            network.destroy();
        }
        network.undefine();
        network.free();
        observer.close();
    }

    private static LibvirtConfig config(String network) {
        return LibvirtConfig.defaults().withUri(URI).withNetwork(network).withDomainType("test")
                .withShutdownResendInterval(Duration.ofMillis(200));
    }

    private VmSpec spec() throws Exception {
        Path image = dir.resolve("base.qcow2");
        if (!Files.exists(image)) {
            new CommandRunner().check(List.of("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "64M"),
                    Duration.ofSeconds(30));
        }
        UUID id = UUID.randomUUID();
        return aVmSpec().forJob(id).image("lc-image", image).userData("#!/bin/sh\necho hi\n").hostname("lc-host")
                .instanceId(instance).jobDirUnder(dir.resolve("jobs")).build();
    }

    private String state(String name) throws Exception {
        return String.join(" ", List.of(observer.listDefinedDomains()).contains(name) ? "defined" : "",
                isRunning(name) ? "running" : "").strip();
    }

    private boolean isRunning(String name) throws Exception {
        for (int id : observer.listDomains()) {
            var d = observer.domainLookupByID(id);
            try {
                if (d.getName().equals(name)) {
                    return true;
                }
            } finally {
                d.free();
            }
        }
        return false;
    }

    @Test
    void prepareStartsAnInactiveNetworkAndMarksItAutostarted() throws Exception {
        hypervisor.prepare();

        Network network = observer.networkLookupByName(NETWORK);
        try {
            assertThat(network.isActive()).isEqualTo(1);
            assertThat(network.getAutostart()).isTrue();
        } finally {
            network.free();
        }
        hypervisor.prepare(); // again: nothing to do, no error
    }

    @Test
    void prepareWithAMissingNetworkSaysWhichAndWhatToDo() {
        try (LibvirtHypervisor missing = new LibvirtHypervisor(config("no-such-net"))) {
            assertThatThrownBy(missing::prepare)
                    .isInstanceOf(HypervisorException.class)
                    .hasMessageContaining("no-such-net")
                    .hasMessageContaining("does not exist")
                    .hasMessageContaining("net-define");
        }
    }

    @Test
    void defineStartStopDestroyUndefine() throws Exception {
        hypervisor.prepare();
        VmSpec spec = spec();
        VmHandle vm = hypervisor.provision(spec);
        assertThat(state(vm.name())).isEqualTo("defined");
        assertThat(spec.jobDir().resolve("disk.qcow2")).exists();
        assertThat(spec.jobDir().resolve("seed.iso")).exists();
        assertThat(hypervisor.listManagedVms(instance)).containsExactly(vm.name());

        hypervisor.start(vm);
        assertThat(isRunning(vm.name())).isTrue();
        assertThat(hypervisor.awaitPowerOff(vm, Duration.ofMillis(300))).isFalse();

        assertThat(hypervisor.stop(vm, Duration.ofSeconds(5))).isTrue();
        assertThat(state(vm.name())).isEqualTo("defined");
        assertThat(hypervisor.awaitPowerOff(vm, Duration.ofMillis(300))).isTrue();

        hypervisor.start(vm);
        hypervisor.destroy(vm);
        assertThat(isRunning(vm.name())).isFalse();
        hypervisor.destroy(vm);

        hypervisor.cleanup(vm);
        assertThat(state(vm.name())).isEmpty();
        assertThat(hypervisor.listManagedVms(instance)).isEmpty();
        assertThat(spec.jobDir().resolve("disk.qcow2")).doesNotExist();
        assertThat(spec.jobDir().resolve("seed.iso")).doesNotExist();
        hypervisor.cleanup(vm);
    }

    @Test
    void cleanupOfARunningDomainDestroysItRatherThanLeavingItTransient() throws Exception {
        hypervisor.prepare();
        VmHandle vm = hypervisor.provision(spec());
        hypervisor.start(vm);

        hypervisor.cleanup(vm);

        assertThat(state(vm.name())).isEmpty();
    }

    @Test
    void aFailedDefineTakesBackOverlayAndSeed() throws Exception {
        LibvirtConfig badType = config(NETWORK).withDomainType("no-such-type");
        try (LibvirtHypervisor broken = new LibvirtHypervisor(badType)) {
            VmSpec spec = spec();
            assertThatThrownBy(() -> broken.provision(spec))
                    .isInstanceOf(HypervisorException.class)
                    .hasMessageContaining(spec.vmName());
            assertThat(spec.jobDir()).doesNotExist();
            assertThat(state(spec.vmName())).isEmpty();
        }
    }

    @Test
    void theConnectionIsReopenedWhenItDies() throws Exception {
        hypervisor.prepare();
        VmHandle vm = hypervisor.provision(spec());

        hypervisor.connection().dropForTest();

        assertThat(hypervisor.isReachable()).isTrue();
        assertThat(hypervisor.listManagedVms(instance)).containsExactly(vm.name());
        hypervisor.cleanup(vm);
    }
}
