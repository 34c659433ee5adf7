package org.solstice.orchestrator.hypervisor.libvirt;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.solstice.orchestrator.hypervisor.Hypervisor;
import org.solstice.orchestrator.hypervisor.HypervisorContractTest;

/** The hypervisor contract on real QEMU (software emulation here) with the test image: every guest boots. */
@Tag("libvirt")
class LibvirtHypervisorContractTest extends HypervisorContractTest {

    @Override
    protected Hypervisor createHypervisor() throws Exception {
        LibvirtTestEnvironment.requireLibvirt();
        LibvirtTestEnvironment.openToQemu(stateDir);
        return new LibvirtHypervisor(LibvirtTestEnvironment.config());
    }

    @Override
    protected Path imagePath() {
        return LibvirtTestEnvironment.image();
    }

    /** A boot of the test image under TCG takes 4-8 s; two at once on two cores take longer. */
    @Override
    protected Duration bootTimeout() {
        return Duration.ofSeconds(60);
    }

    /** Long enough for the guest to be up (the test image boots in about 4 s), far from the job's end. */
    @Override
    protected Duration shortWait() {
        return Duration.ofSeconds(6);
    }
}
