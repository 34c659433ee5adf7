package org.solstice.orchestrator.daemon;

import org.solstice.orchestrator.hypervisor.RouterHypervisor;

/** The hypervisor router over the backends the image map uses, built from the configuration and prepared. */
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
        hypervisor = HypervisorFactory.create(config, map.images());
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
