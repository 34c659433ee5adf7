package org.solstice.orchestrator.bench.fleet;

/**
 * A daemon's consumer settings, the same on every host.
 *
 * @param prefetch the prefetch of every label consumer; 0 for the scheme's default, min(max-concurrency,
 *     the label's capacity on the host)
 * @param maxPending accepted-but-not-started jobs a host holds per label; 0 for the default, max-concurrency
 * @param ideal not the scheme: a host is given a job only when it can start it at once (a pull by free slot,
 *     which RabbitMQ prefetch cannot express), as the lower bound to compare with
 */
record Settings(String name, int prefetch, int maxPending, boolean ideal) {
    static final Settings DEFAULT = new Settings("default (prefetch min(M,c), max-pending M)", 0, 0, false);
    static final Settings MAX_PENDING_1 = new Settings("max-pending 1", 0, 1, false);
    static final Settings PREFETCH_1_MAX_PENDING_1 = new Settings("prefetch 1, max-pending 1", 1, 1, false);
    static final Settings IDEAL = new Settings("bound: start-or-stay-in-queue", 0, 0, true);

    int prefetchFor(FleetModel model, int host, int label) {
        return prefetch > 0 ? prefetch : model.defaultPrefetch(host, label);
    }

    int maxPendingFor(FleetModel model, int host) {
        return maxPending > 0 ? maxPending : model.maxConcurrency[host];
    }
}
