package org.solstice.orchestrator.hypervisor.noop;

import java.nio.file.Path;
import java.time.Duration;
import org.solstice.orchestrator.hypervisor.Hypervisor;
import org.solstice.orchestrator.hypervisor.HypervisorContractTest;

class NoopHypervisorContractTest extends HypervisorContractTest {

    @Override
    protected Hypervisor createHypervisor() {
        return new NoopHypervisor(Duration.ofMillis(500));
    }

    @Override
    protected Path imagePath() {
        return stateDir.resolve("unused.img");
    }

    @Override
    protected Duration bootTimeout() {
        return Duration.ofSeconds(5);
    }

    @Override
    protected Duration shortWait() {
        return Duration.ofMillis(100);
    }
}
