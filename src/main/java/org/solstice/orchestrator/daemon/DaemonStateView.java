package org.solstice.orchestrator.daemon;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.solstice.orchestrator.config.ImageDefinition;
import org.solstice.orchestrator.config.ImageMap;
import org.solstice.orchestrator.hypervisor.Hypervisor;
import org.solstice.orchestrator.hypervisor.RouterHypervisor;
import org.solstice.orchestrator.messaging.JobQueues;
import org.solstice.orchestrator.ops.AdminActions;
import org.solstice.orchestrator.ops.DaemonState;
import org.solstice.orchestrator.scheduling.JobScheduler;
import org.solstice.orchestrator.store.JobRecord;
import org.solstice.orchestrator.store.JobStore;

/** The daemon as operations see it, read from its parts; parts not started yet read as not ready and empty. */
final class DaemonStateView implements DaemonState {
    private final int maxConcurrency;
    private final ImageMapPart map;
    private final StorePart store;
    private final HypervisorPart hypervisor;
    private final BrokerPart broker;
    private final JobSide side;
    private final Drain drain;
    private final Supplier<AdminActions> actions;

    /** @param actions the console's actions, made once the parts they use are (they report to operations) */
    DaemonStateView(int maxConcurrency, ImageMapPart map, StorePart store, HypervisorPart hypervisor,
                    BrokerPart broker, JobSide side, Drain drain, Supplier<AdminActions> actions) {
        this.maxConcurrency = maxConcurrency;
        this.map = map;
        this.store = store;
        this.hypervisor = hypervisor;
        this.broker = broker;
        this.side = side;
        this.drain = drain;
        this.actions = actions;
    }

    @Override
    public boolean brokerConnected() {
        return broker.isConnected();
    }

    @Override
    public boolean consuming() {
        return side.queues().map(JobQueues::isConsuming).orElse(false);
    }

    @Override
    public boolean hypervisorReachable() {
        return hypervisor.isReachable();
    }

    @Override
    public boolean storeReachable() {
        return store.isReachable();
    }

    @Override
    public Capacity global() {
        return side.wired().map(w -> new Capacity(w.scheduler().running(), maxConcurrency,
                w.acceptance().notStartedCount())).orElse(new Capacity(0, maxConcurrency, 0));
    }

    @Override
    public List<LabelCapacity> labels() {
        if (!map.loaded()) {
            return List.of();
        }
        ImageMap images = map.images();
        JobScheduler s = side.wired().map(JobSide.Wired::scheduler).orElse(null);
        List<LabelCapacity> all = new ArrayList<>();
        for (String image : images.images().keySet()) {
            List<String> aliases = images.labels().stream().filter(l -> !l.equals(image))
                    .filter(l -> images.resolve(l).map(ImageDefinition::name).orElse("").equals(image)).toList();
            int limit = Math.min(maxConcurrency, map.capacities().capacityOf(image).orElse(maxConcurrency));
            all.add(new LabelCapacity(image, aliases, s == null ? 0 : s.running(image), limit,
                    s == null ? 0 : s.waiting(image)));
        }
        return all;
    }

    @Override
    public List<JobRecord> recentJobs(int limit) {
        return store.recent(limit);
    }

    @Override
    public Optional<JobRecord> job(UUID requestId) {
        JobStore s = store.store();
        return s == null ? Optional.empty() : s.find(requestId);
    }

    @Override
    public List<ImageDefinition> images() {
        return map.loaded() ? List.copyOf(map.images().images().values()) : List.of();
    }

    @Override
    public List<String> backends() {
        RouterHypervisor h = hypervisor.hypervisor();
        if (h == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>(List.of(h.defaultBackend()));
        h.backends().stream().map(Hypervisor::name).filter(n -> !names.contains(n)).forEach(names::add);
        return names;
    }

    @Override
    public String hostState() {
        return drain.state().name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public AdminActions actions() {
        return actions.get();
    }

    @Override
    public long leakedVmsReaped() {
        return side.wired().map(w -> w.reconciler().reaped()).orElse(0L);
    }

    @Override
    public long brokerReconnects() {
        return broker.reconnects();
    }

    @Override
    public long jobsRouted() {
        return side.queues().map(JobQueues::routed).orElse(0L);
    }

    @Override
    public long jobsTakenDirectly() {
        return side.queues().map(JobQueues::takenDirectly).orElse(0L);
    }

    @Override
    public long jobsUnroutable() {
        return side.queues().map(JobQueues::unroutable).orElse(0L);
    }
}
