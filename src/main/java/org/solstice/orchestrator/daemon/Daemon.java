package org.solstice.orchestrator.daemon;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.images.ImagePreparationListener;
import org.solstice.orchestrator.job.JobListener;
import org.solstice.orchestrator.job.JobPolicy;
import org.solstice.orchestrator.job.RunningJobs;
import org.solstice.orchestrator.ops.AdminActions;
import org.solstice.orchestrator.ops.DaemonState;

/**
 * The orchestrator daemon, assembled in one place from a {@link DaemonConfig}: an ordered list of parts, started
 * in order and stopped in reverse. {@link #start()} returns once it is consuming; {@link #shutdown()} drains (see
 * {@link Drain}) and is safe to call from a JVM shutdown hook. What operations read is {@link #state()}.
 */
public class Daemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);

    private final DaemonConfig config;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final ImageMapPart map;
    private final MetricsPart metrics;
    private final OperationsPart operations;
    private final DaemonState state;
    private final Drain drain;
    private final HostActions actions;
    private final Parts parts;

    public Daemon(DaemonConfig config) {
        this(config, JobListener.NONE);
    }

    public Daemon(DaemonConfig config, JobListener listener) {
        this.config = config;
        BooleanSupplier starting = () -> !stopRequested.get();
        RunningJobs runningJobs = new RunningJobs();
        JobPolicy policy = new JobPolicy(config.stateDir(), config.instanceId(), config.jobTimeout(),
                config.shutdownTimeout());
        JobSide side = new JobSide();
        map = new ImageMapPart(config);
        StorePart store = new StorePart(config, starting);
        HypervisorPart hypervisor = new HypervisorPart(config, map);
        BrokerPart broker = new BrokerPart(config, starting);
        drain = new Drain(config.drainTimeout(), config.shutdownTimeout(), side, runningJobs);
        state = new DaemonStateView(config.maxConcurrency(), map, store, hypervisor, broker, side, drain,
                this::actions);
        metrics = new MetricsPart(map, state, config.instanceId());
        ImagePolicy images = new ImagePolicy(config, map, hypervisor, metrics);
        actions = new HostActions(runningJobs, drain, images);
        operations = new OperationsPart(config, metrics, broker, policy);
        JobsPart jobs = new JobsPart(config, map, store, hypervisor, images, broker, operations, policy, runningJobs,
                listener, side);
        parts = new Parts(List.of(map, metrics, new StateDirectory(config.stateDir()), store, hypervisor, images,
                broker, operations, jobs, new Housekeeping(config.reconcileInterval(), side),
                new ConsumerPart(config, map, broker, jobs, side)));
    }

    /** Starts every part in order; returns once jobs are being consumed. */
    public synchronized void start() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        if (!parts.startAll(() -> !stopRequested.get())) {
            return; // shutdown was asked for while starting
        }
        log.info("orchestrator {} ready in {} ms: max concurrency {}, max pending {}, labels {}",
                config.instanceId(), (System.nanoTime() - t0) / 1_000_000, config.maxConcurrency(),
                config.maxPending(), map.labels());
    }

    /** Drains (see {@link Drain}), then stops the started parts in reverse order. Idempotent. */
    public void shutdown() {
        if (!stopRequested.compareAndSet(false, true)) {
            awaitQuietly();
            return;
        }
        synchronized (this) {
            try {
                drain.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                parts.stopAll();
                terminated.countDown();
                log.info("orchestrator stopped");
            }
        }
    }

    /** Blocks until {@link #shutdown()} has finished. */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    private void awaitQuietly() {
        try {
            terminated.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        shutdown();
    }

    /** What operations read: readiness, capacity, recent jobs, the router's counters. */
    public DaemonState state() {
        return state;
    }

    /** The console's actions, read late: they use the image policy, which reports to metrics that read the state. */
    private AdminActions actions() {
        return actions;
    }

    /** Where image preparation reports (the metrics, once start() has loaded the map). */
    public ImagePreparationListener imageListener() {
        return metrics.imageListener();
    }

    /** The HTTP listener's port (useful with --http-port 0), or -1 when it is off or not started. */
    public int httpPort() {
        return operations.httpPort();
    }
}
