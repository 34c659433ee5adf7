package org.solstice.orchestrator.hypervisor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.solstice.orchestrator.hypervisor.noop.NoopProvider;

/** The router is a Hypervisor too: over a noop backend it keeps the same contract, every call going through it. */
class RouterHypervisorContractTest extends HypervisorContractTest {

    @Override
    protected Hypervisor createHypervisor() {
        Hypervisor noop = new NoopProvider().create(BackendOptions.none()
                .with("noop", NoopProvider.RUN_TIME, Duration.ofMillis(500)));
        return new RouterHypervisor(List.of(noop), noop.name());
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
