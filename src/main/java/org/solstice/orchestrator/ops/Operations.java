package org.solstice.orchestrator.ops;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.solstice.orchestrator.images.ImagePreparationListener;
import org.solstice.orchestrator.job.JobListener;
import org.solstice.orchestrator.job.JobPolicy;
import org.solstice.orchestrator.messaging.ConfirmingPublisher;
import org.solstice.orchestrator.messaging.SecretFile;

/**
 * Operating the daemon, assembled: metrics, status and log events, log retention, and the HTTP listener (when
 * on). {@link #jobListener()} is what the job runner and dispatcher report to; {@link #imageListener()} what
 * image preparation reports to.
 */
public class Operations implements AutoCloseable {
    private final OpsMetrics metrics;
    private final EventPublisher events;
    private final JobLogStreamer logs;
    private final JobListener listener;
    private final ScheduledExecutorService retention;
    private final OpsServer server;

    /**
     * @param metrics built early, so image preparation can report to it before the broker is connected
     * @param events  a publisher on a channel of its own, publishing to the result exchange
     */
    public Operations(OpsSettings settings, DaemonState state, OpsMetrics metrics, JobPolicy policy,
                      EventPublisher events) {
        this.metrics = metrics;
        // first: a port in use fails start-up before any thread of ours runs
        JobTimeline timeline = new JobTimeline();
        this.server = settings.httpEnabled() ? new OpsServer(settings, state, metrics, new WebConsole(
                new WebApi(state, timeline, metrics.imageProgress(), policy.instanceId()), policy.stateDir(),
                new AdminAccess(settings.adminTokenFile() == null ? null
                        : SecretFile.read(settings.adminTokenFile(), "--admin-token-file"), state.actions())))
                : null;
        this.events = events;
        this.logs = new JobLogStreamer(events, policy);
        this.listener = JobListener.all(List.of(metrics, new StatusEvents(events), logs, timeline));
        LogRetention sweeper = new LogRetention(policy.stateDir().resolve("logs"), settings.logRetention());
        this.retention = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "log-retention");
            t.setDaemon(true);
            return t;
        });
        retention.scheduleWithFixedDelay(sweeper::sweep, 0, 1, TimeUnit.HOURS);
    }

    public static EventPublisher eventPublisher(ConfirmingPublisher publisher, String resultExchange) {
        return new EventPublisher(publisher, resultExchange);
    }

    public JobListener jobListener() {
        return listener;
    }

    public ImagePreparationListener imageListener() {
        return metrics;
    }

    public OpsMetrics metrics() {
        return metrics;
    }

    /** The HTTP listener's port, or -1 when it is off. */
    public int httpPort() {
        return server == null ? -1 : server.port();
    }

    /** Stops the listener last-but-one: logs and events still queued go out first, then the channel closes. */
    @Override
    public void close() {
        retention.shutdownNow();
        logs.close();
        events.close();
        if (server != null) {
            server.close();
        }
    }
}
