package org.solstice.orchestrator.hypervisor.zones;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.solstice.orchestrator.hypervisor.Hypervisor;
import org.solstice.orchestrator.hypervisor.HypervisorContractTest;

/** The zones backend through the shared contract, against the illumos simulator. */
class ZonesHypervisorContractTest extends HypervisorContractTest {

    @Override
    protected Hypervisor createHypervisor() throws Exception {
        IllumosSimulator sim = IllumosSimulator.withDefaultDatasets(stateDir.resolve("illumos"));
        return sim.hypervisor(sim.config().build());
    }

    @Override
    protected Path imagePath() throws Exception {
        Path image = stateDir.resolve("contract.raw");
        if (!Files.exists(image)) {
            Files.write(image, new byte[64 * 1024]);
        }
        return image;
    }

    @Override
    protected Duration bootTimeout() {
        return Duration.ofSeconds(20);
    }

    @Override
    protected Duration shortWait() {
        return Duration.ofMillis(500);
    }
}
