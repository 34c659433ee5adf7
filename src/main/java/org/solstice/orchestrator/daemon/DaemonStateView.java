package org.solstice.orchestrator.daemon;

import com.rabbitmq.client.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.solstice.orchestrator.acceptance.Acceptance;
import org.solstice.orchestrator.config.CapacityMap;
import org.solstice.orchestrator.config.ImageDefinition;
import org.solstice.orchestrator.config.ImageMap;
import org.solstice.orchestrator.messaging.BrokerConnector;
import org.solstice.orchestrator.ops.DaemonState;
import org.solstice.orchestrator.scheduling.JobScheduler;
import org.solstice.orchestrator.store.JobRecord;

/** The daemon as operations see it; parts not started yet read as not ready and empty. */
final class DaemonStateView implements DaemonState {
    private final Daemon daemon;
    private final ImageMap images;
    private final CapacityMap capacities;
    private final int maxConcurrency;
    private final Supplier<Connection> connection;
    private final Supplier<BrokerConnector> connector;
    private final Supplier<Acceptance> dispatcher;

    DaemonStateView(Daemon daemon, ImageMap images, CapacityMap capacities, int maxConcurrency,
                    Supplier<Connection> connection, Supplier<BrokerConnector> connector,
                    Supplier<Acceptance> dispatcher) {
        this.daemon = daemon;
        this.images = images;
        this.capacities = capacities;
        this.maxConcurrency = maxConcurrency;
        this.connection = connection;
        this.connector = connector;
        this.dispatcher = dispatcher;
    }

    @Override
    public boolean brokerConnected() {
        Connection c = connection.get();
        return c != null && c.isOpen();
    }

    @Override
    public boolean consuming() {
        return daemon.isConsuming();
    }

    @Override
    public boolean hypervisorReachable() {
        return daemon.hypervisor() != null && daemon.hypervisor().isReachable();
    }

    @Override
    public boolean storeReachable() {
        return daemon.store() != null && daemon.store().isReachable();
    }

    @Override
    public Capacity global() {
        JobScheduler s = daemon.scheduler();
        Acceptance d = dispatcher.get();
        return new Capacity(s == null ? 0 : s.running(), maxConcurrency, d == null ? 0 : d.notStartedCount());
    }

    @Override
    public List<LabelCapacity> labels() {
        JobScheduler s = daemon.scheduler();
        List<LabelCapacity> all = new ArrayList<>();
        for (String image : images.images().keySet()) {
            List<String> aliases = images.labels().stream().filter(l -> !l.equals(image))
                    .filter(l -> images.resolve(l).map(ImageDefinition::name).orElse("").equals(image)).toList();
            int limit = Math.min(maxConcurrency, capacities.capacityOf(image).orElse(maxConcurrency));
            all.add(new LabelCapacity(image, aliases, s == null ? 0 : s.running(image), limit,
                    s == null ? 0 : s.waiting(image)));
        }
        return all;
    }

    @Override
    public List<JobRecord> recentJobs(int limit) {
        return daemon.store() == null ? List.of() : daemon.store().recent(limit);
    }

    @Override
    public long leakedVmsReaped() {
        return daemon.reconciler() == null ? 0 : daemon.reconciler().reaped();
    }

    @Override
    public long brokerReconnects() {
        BrokerConnector c = connector.get();
        return c == null ? 0 : c.recoveries();
    }

    @Override
    public long jobsRouted() {
        return daemon.routed();
    }

    @Override
    public long jobsTakenDirectly() {
        return daemon.takenDirectly();
    }

    @Override
    public long jobsUnroutable() {
        return daemon.unroutable();
    }
}
