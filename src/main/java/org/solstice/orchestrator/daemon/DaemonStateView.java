package org.solstice.orchestrator.daemon;

import com.rabbitmq.client.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.solstice.orchestrator.config.CapacityMap;
import org.solstice.orchestrator.config.ImageDefinition;
import org.solstice.orchestrator.config.ImageMap;
import org.solstice.orchestrator.hypervisor.Hypervisor;
import org.solstice.orchestrator.hypervisor.RouterHypervisor;
import org.solstice.orchestrator.messaging.BrokerConnector;
import org.solstice.orchestrator.ops.AdminActions;
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
    private final Supplier<JobDispatcher> dispatcher;

    DaemonStateView(Daemon daemon, ImageMap images, CapacityMap capacities, int maxConcurrency,
                    Supplier<Connection> connection, Supplier<BrokerConnector> connector,
                    Supplier<JobDispatcher> dispatcher) {
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
        JobDispatcher d = dispatcher.get();
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
    public Optional<JobRecord> job(UUID requestId) {
        return daemon.store() == null ? Optional.empty() : daemon.store().find(requestId);
    }

    @Override
    public List<ImageDefinition> images() {
        return List.copyOf(images.images().values());
    }

    @Override
    public List<String> backends() {
        RouterHypervisor h = daemon.hypervisor();
        if (h == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>(List.of(h.defaultBackend()));
        h.backends().stream().map(Hypervisor::name).filter(n -> !names.contains(n)).forEach(names::add);
        return names;
    }

    @Override
    public AdminActions actions() {
        return new AdminActions() {
            @Override
            public String cancel(UUID requestId) {
                if (!daemon.runningJobs().cancel(requestId)) {
                    throw new IllegalArgumentException("job " + requestId + " is not running on this host");
                }
                return "asked job " + requestId + " to stop: its VM is shut down and its result says cancelled";
            }

            @Override
            public String drain() {
                throw new UnsupportedOperationException("draining from the console is not wired yet: stop the"
                        + " service (systemctl stop drains) instead");
            }

            @Override
            public String prepareAgain(String image) {
                throw new UnsupportedOperationException("preparing an image again from the console is not wired"
                        + " yet: run `orchestrator images pull` instead");
            }
        };
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
