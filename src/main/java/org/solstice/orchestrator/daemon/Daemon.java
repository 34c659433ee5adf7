package org.solstice.orchestrator.daemon;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.OrchestratorException;
import org.solstice.orchestrator.config.CapacityMap;
import org.solstice.orchestrator.config.ImageMap;
import org.solstice.orchestrator.config.ImageMapLoader;
import org.solstice.orchestrator.hypervisor.Backends;
import org.solstice.orchestrator.hypervisor.RouterHypervisor;
import org.solstice.orchestrator.images.ImageCatalog;
import org.solstice.orchestrator.images.ImagePreparationListener;
import org.solstice.orchestrator.images.ImagePreparationService;
import org.solstice.orchestrator.images.PreparationOptions;
import org.solstice.orchestrator.job.JobListener;
import org.solstice.orchestrator.job.JobPolicy;
import org.solstice.orchestrator.job.JobRunner;
import org.solstice.orchestrator.job.RunningJobs;
import org.solstice.orchestrator.messaging.BrokerConnector;
import org.solstice.orchestrator.messaging.ConfirmingPublisher;
import org.solstice.orchestrator.messaging.JobQueues;
import org.solstice.orchestrator.messaging.ResultPublisher;
import org.solstice.orchestrator.scheduling.JobScheduler;
import org.solstice.orchestrator.recovery.OutboxRelay;
import org.solstice.orchestrator.recovery.Reconciler;
import org.solstice.orchestrator.store.DatabaseUrl;
import org.solstice.orchestrator.store.JdbcJobStore;
import org.solstice.orchestrator.store.JobStore;
import org.solstice.orchestrator.store.StoreJournal;
import org.solstice.orchestrator.store.StoreRetry;

/**
 * The orchestrator daemon, assembled in one place from a {@link DaemonConfig}: image map, hypervisor router,
 * scheduler, broker connection, consumer. {@link #start()} returns once it is consuming; {@link #shutdown()}
 * drains (see its Javadoc) and is safe to call from a JVM shutdown hook.
 */
public class Daemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);

    private final DaemonConfig config;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final RunningJobs runningJobs = new RunningJobs();
    private final JobListener listener;
    private ImagePreparationListener imageListener = new ImagePreparationListener() {
    };

    private ImageMap images;
    private RouterHypervisor hypervisor;
    private JobScheduler scheduler;
    private ExecutorService background;
    private Connection connection;
    private ConfirmingPublisher publisher;
    private JobQueues consumer;
    private JobDispatcher dispatcher;
    private ImageCatalog catalog;
    private JobStore store;
    private Reconciler reconciler;
    private java.util.concurrent.ScheduledExecutorService housekeeping;
    private BrokerConnector connector;
    private org.solstice.orchestrator.ops.OpsMetrics metrics;
    private org.solstice.orchestrator.ops.Operations operations;
    private final java.util.concurrent.atomic.AtomicBoolean stopRequested = new java.util.concurrent.atomic.AtomicBoolean();

    public Daemon(DaemonConfig config) {
        this(config, JobListener.NONE);
    }

    public Daemon(DaemonConfig config, JobListener listener) {
        this.config = config;
        this.listener = listener;
    }

    /** Starts everything; returns once jobs are being consumed. */
    public synchronized void start() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        images = ImageMapLoader.load(config.imageMapFile());
        CapacityMap capacities = CapacityMap.parse(config.capacityMap(), images);
        metrics = new org.solstice.orchestrator.ops.OpsMetrics(new DaemonStateView(this, images, capacities,
                config.maxConcurrency(), () -> connection, () -> connector, () -> dispatcher),
                java.util.Set.copyOf(images.labels()), config.instanceId());
        imageListener = metrics;
        prepareStateDir();
        DatabaseUrl databaseUrl = DatabaseUrl.parse(config.databaseUrl(), config.stateDir());
        // the database may not be up yet, or (embedded H2) a killed predecessor's file lock may still be going stale
        store = StoreRetry.call("opening the job store", () -> JdbcJobStore.open(databaseUrl),
                () -> !stopRequested.get());
        log.info("job store: {}", store.describe());

        hypervisor = Backends.discover().router(config.hypervisor(), images.backends(), config.backendOptions());
        hypervisor.prepare();
        catalog = imageCatalog();

        scheduler = new JobScheduler(config.maxConcurrency(),
                label -> capacities.capacityOf(label).orElse(Integer.MAX_VALUE));
        background = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "orchestrator-background");
            t.setDaemon(true);
            return t;
        });

        connector = new BrokerConnector(config.amqp(), config.brokerSecurity(),
                "solstice-orchestrator@" + config.instanceId());
        connection = connector.connectWithRetry(Duration.ofSeconds(30), () -> !stopRequested.get());
        publisher = new ConfirmingPublisher(connection);
        ResultPublisher results = new ResultPublisher(publisher, config.amqp(), Duration.ofSeconds(10));
        JobPolicy policy = new JobPolicy(config.stateDir(), config.instanceId(), config.jobTimeout(),
                config.shutdownTimeout());
        operations = new org.solstice.orchestrator.ops.Operations(config.ops(), metrics.state(), metrics, policy,
                org.solstice.orchestrator.ops.Operations.eventPublisher(new ConfirmingPublisher(connection, false),
                        config.amqp().resultExchange()));
        JobListener jobListener = JobListener.all(List.of(listener, operations.jobListener()));
        OutboxRelay relay = new OutboxRelay(store, results, config.instanceId());
        JobRunner runner = new JobRunner(hypervisor, relay.sink(), policy, runningJobs, jobListener,
                new StoreJournal(store));
        dispatcher = new JobDispatcher(images, catalog, config.maxPending(), scheduler, runner, results, jobListener, background, store,
                config.instanceId());
        reconciler = new Reconciler(store, hypervisor, images, policy, config.maxAttempts(), runningJobs);
        reconciler.recover(dispatcher);
        relay.relay();
        startHousekeeping(relay);
        consumer = new JobQueues(connection, config.amqp(), images.defaultLabel(), prefetchByLabel(capacities),
                dispatcher, results, background);
        consumer.start();
        log.info("orchestrator {} ready in {} ms: max concurrency {}, max pending {}, labels {}",
                config.instanceId(), (System.nanoTime() - t0) / 1_000_000, config.maxConcurrency(),
                config.maxPending(), images.labels());
    }

    /**
     * One consumer per label served here; each holds at most as many unacknowledged deliveries as the label's
     * image may run at once (and never more than the prefetch).
     */
    private java.util.Map<String, Integer> prefetchByLabel(CapacityMap capacities) {
        java.util.Map<String, Integer> prefetch = new java.util.LinkedHashMap<>();
        for (String label : images.labels()) {
            images.resolve(label).ifPresent(image -> prefetch.put(label, Math.min(config.amqp().prefetch(),
                    capacities.capacityOf(image.name()).orElse(Integer.MAX_VALUE))));
        }
        return prefetch;
    }

    /**
     * Images are prepared in the background (jobs for an image wait for it), or all before consuming with
     * --fail-on-image-error. Backends that boot no image (noop) need none at all.
     */
    private ImageCatalog imageCatalog() {
        if (!hypervisor.capabilities().usesImages()) {
            return image -> java.util.concurrent.CompletableFuture.completedFuture(image.localPath());
        }
        ImagePreparationService service = ImagePreparationService.withLogging(
                PreparationOptions.defaults().withParallelism(config.imageParallelism()), imageListener);
        if (config.failOnImageError()) {
            log.info("preparing every image before consuming (--fail-on-image-error)");
            try {
                service.prepareAll(images);
            } catch (RuntimeException e) {
                service.close();
                throw e;
            }
        } else {
            service.prepareInBackground(images);
        }
        return service;
    }

    private void startHousekeeping(OutboxRelay relay) {
        housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "housekeeping");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, config.reconcileInterval().toMillis());
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                relay.relay();
                reconciler.reapLeaks();
                reconciler.removeOrphanFiles();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.warn("housekeeping pass failed: {}", e.getMessage());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    private void prepareStateDir() throws IOException {
        try {
            Files.createDirectories(config.stateDir().resolve("jobs"));
        } catch (IOException e) {
            throw new OrchestratorException("cannot create the state directory " + config.stateDir() + ": "
                    + e.getMessage() + " (set --state-dir / STATE_DIR to a writable directory)", e);
        }
        // QEMU runs as another user (libvirt-qemu) and must reach the per-job files: directories are 0755.
        for (java.nio.file.Path dir : java.util.List.of(config.stateDir(), config.stateDir().resolve("jobs"))) {
            try {
                Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (UnsupportedOperationException | IOException e) {
                log.debug("cannot set permissions of {}: {}", dir, e.getMessage());
            }
        }
        if (!Files.isWritable(config.stateDir())) {
            throw new OrchestratorException("the state directory " + config.stateDir() + " is not writable"
                    + " (set --state-dir / STATE_DIR to a writable directory)");
        }
    }

    /**
     * Drains: stops consuming; hands accepted jobs that have not started back to the broker (republished with
     * confirms, so another host or a later start runs them); lets running jobs finish for up to the drain
     * timeout; then cancels the rest (their VMs are stopped gracefully, destroyed if they don't stop, and their
     * results say they were cancelled); closes everything. Idempotent.
     */
    public void shutdown() {
        if (!stopRequested.compareAndSet(false, true)) {
            awaitQuietly();
            return;
        }
        synchronized (this) {
            shutdownLocked();
        }
    }

    private void shutdownLocked() {
        log.info("shutting down: no new jobs; draining up to {}", config.drainTimeout());
        try {
            if (consumer != null) {
                consumer.stop();
            }
            if (dispatcher != null) {
                new HandBack(publisher, config.amqp(), store).handBack(dispatcher.closeAndTakeNotStarted());
            }
            if (scheduler != null && !scheduler.awaitIdle(config.drainTimeout())) {
                log.warn("{} job(s) still running after the drain timeout: cancelling them", runningJobs.size());
                runningJobs.cancelAll();
                if (!scheduler.awaitIdle(config.shutdownTimeout().plusSeconds(60))) {
                    log.error("{} job(s) did not finish after cancellation", runningJobs.size());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeResources();
            terminated.countDown();
            log.info("orchestrator stopped");
        }
    }

    private void closeResources() {
        if (housekeeping != null) {
            housekeeping.shutdownNow();
        }
        if (consumer != null) {
            consumer.close();
        }
        if (scheduler != null) {
            scheduler.close();
        }
        if (operations != null) {
            operations.close();
        }
        if (publisher != null) {
            publisher.close();
        }
        if (connection != null) {
            try {
                connection.close(5000);
            } catch (IOException | RuntimeException e) {
                log.debug("closing the broker connection: {}", e.getMessage());
            }
        }
        if (background != null) {
            background.shutdownNow();
        }
        if (catalog != null) {
            catalog.close();
        }
        if (hypervisor != null) {
            hypervisor.close();
        }
        if (store != null) {
            store.close();
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

    public boolean isConsuming() {
        return consumer != null && consumer.isConsuming();
    }

    /** Requests this daemon's router moved to a label queue. */
    public long routed() {
        return consumer == null ? 0 : consumer.routed();
    }

    /** Requests this daemon's router took for this host directly, their label being idle here. */
    public long takenDirectly() {
        return consumer == null ? 0 : consumer.takenDirectly();
    }

    /** Requests for labels no daemon serves that this daemon's router dead-lettered. */
    public long unroutable() {
        return consumer == null ? 0 : consumer.unroutable();
    }

    public JobScheduler scheduler() {
        return scheduler;
    }

    public JobStore store() {
        return store;
    }

    public Reconciler reconciler() {
        return reconciler;
    }

    public RouterHypervisor hypervisor() {
        return hypervisor;
    }

    /** Where image preparation reports (the metrics, once start() has loaded the map). */
    public ImagePreparationListener imageListener() {
        return imageListener;
    }

    /** The HTTP listener's port (useful with --http-port 0), or -1 when it is off or not started. */
    public int httpPort() {
        return operations == null ? -1 : operations.httpPort();
    }
}
