package org.solstice.orchestrator.daemon;

import org.solstice.orchestrator.hypervisor.Backends;
import org.solstice.orchestrator.hypervisor.RouterHypervisor;

/** The hypervisor router over the backends the image map uses, chosen among the providers and prepared. */
final class HypervisorPart implements Part {
    private final DaemonConfig config;
    private final ImageMapPart map;
    private volatile RouterHypervisor hypervisor;

    HypervisorPart(DaemonConfig config, ImageMapPart map) {
        this.config = config;
        this.map = map;
    }

    @Override
    public void start() {
        hypervisor = Backends.discover().router(config.hypervisor(), map.images().backends(),
                config.backendOptions());
        hypervisor.prepare();
    }

    @Override
    public void stop() {
        if (hypervisor != null) {
            hypervisor.close();
        }
    }

    RouterHypervisor hypervisor() {
        return hypervisor;
    }

    boolean isReachable() {
        RouterHypervisor h = hypervisor;
        return h != null && h.isReachable();
    }
}
