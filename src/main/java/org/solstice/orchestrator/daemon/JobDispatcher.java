package org.solstice.orchestrator.daemon;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.config.ImageDefinition;
import org.solstice.orchestrator.config.ImageMap;
import org.solstice.orchestrator.images.ImageCatalog;
import org.solstice.orchestrator.job.AcceptedJob;
import org.solstice.orchestrator.job.JobListener;
import org.solstice.orchestrator.job.JobOutcome;
import org.solstice.orchestrator.job.JobRunner;
import org.solstice.orchestrator.messaging.JobIntake;
import org.solstice.orchestrator.messaging.JobRequest;
import org.solstice.orchestrator.messaging.ResultSink;
import org.solstice.orchestrator.scheduling.AdmissionGate;
import org.solstice.orchestrator.scheduling.JobScheduler;
import org.solstice.orchestrator.hypervisor.VmHandle;
import org.solstice.orchestrator.recovery.Recoverer;
import org.solstice.orchestrator.store.JobStore;

/**
 * Turns valid requests into accepted jobs: resolves the label, takes a backlog slot of its image (each image has
 * its own, so a saturated label holds back no other), waits (without a scheduler permit) for the image, then
 * queues the job with the scheduler. Knows which accepted jobs have not
 * started, so shutdown can hand them back to the broker.
 */
class JobDispatcher implements JobIntake, Recoverer {
    private static final Logger log = LoggerFactory.getLogger(JobDispatcher.class);

    private final ImageMap images;
    private final ImageCatalog catalog;
    /** One per image of the map, made up front so that closing them all at shutdown leaves none open. */
    private final Map<String, AdmissionGate> gates;
    private final JobScheduler scheduler;
    private final JobRunner runner;
    private final ResultSink results;
    private final JobListener listener;
    private final ExecutorService background;
    private final AcceptanceRecords records;
    private final Map<UUID, AcceptedJob> notStarted = new ConcurrentHashMap<>();
    private final Set<UUID> active = ConcurrentHashMap.newKeySet();
    private final Set<UUID> gateless = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    JobDispatcher(ImageMap images, ImageCatalog catalog, int maxPendingPerImage, JobScheduler scheduler,
                  JobRunner runner, ResultSink results, JobListener listener, ExecutorService background,
                  JobStore store, String instanceId) {
        this.records = new AcceptanceRecords(store, instanceId, () -> !closed, active::contains);
        this.images = images;
        this.catalog = catalog;
        Map<String, AdmissionGate> perImage = new java.util.HashMap<>();
        images.images().keySet().forEach(name -> perImage.put(name, new AdmissionGate(maxPendingPerImage)));
        this.gates = Map.copyOf(perImage);
        this.scheduler = scheduler;
        this.runner = runner;
        this.results = results;
        this.listener = listener;
        this.background = background;
    }

    @Override
    public CompletionStage<Decision> offer(JobRequest request, byte[] body, String label)
            throws InterruptedException {
        if (closed) {
            return done(new Requeue("the orchestrator is shutting down"));
        }
        Optional<ImageDefinition> image = images.resolve(label);
        if (image.isEmpty()) {
            return done(new Rejected("runs_on label '" + label + "' is not served here: it resolves to no image in "
                    + images.file().getFileName() + " (labels: " + String.join(", ", images.labels()) + ")"));
        }
        if (active.contains(request.requestId())) {
            log.warn("job {}: delivered again while it is still being handled here; acknowledged, not run twice",
                    request.requestId());
            return done(new Accepted());
        }
        AdmissionGate gate = gate(image.get());
        if (!gate.enter()) {
            return done(new Requeue("the orchestrator is shutting down"));
        }
        return admit(request, body, label, image.get());
    }

    @Override
    public Optional<CompletionStage<Decision>> takeIfIdle(JobRequest request, byte[] body, String label) {
        if (closed) {
            return Optional.empty();
        }
        Optional<ImageDefinition> image = images.resolve(label);
        // cheapest refusals first: under a flood the scheduler has no room and the rest is never asked
        if (image.isEmpty() || !scheduler.hasRoomFor(image.get().name()) || active.contains(request.requestId())
                || !isReady(image.get()) || !gate(image.get()).tryEnterIfIdle()) {
            return Optional.empty();
        }
        log.debug("job {}: taken straight from the router: label {} is idle here", request.requestId(), label);
        return Optional.of(admit(request, body, label, image.get()));
    }

    private boolean isReady(ImageDefinition image) {
        CompletableFuture<Path> ready = catalog.whenReady(image);
        return ready.isDone() && !ready.isCompletedExceptionally();
    }

    /** Stores a job that holds a slot of its image's gate, then starts it; the decision follows the store. */
    private CompletionStage<Decision> admit(JobRequest request, byte[] body, String label, ImageDefinition image) {
        AdmissionGate gate = gate(image);
        if (closed) {
            gate.leave();
            return done(new Requeue("the orchestrator is shutting down"));
        }
        AcceptedJob job = new AcceptedJob(request, label, image, body, System.nanoTime());
        // the delivery is acknowledged only once the job is committed: the store's group commit does that for
        // many deliveries at once while the consumer goes on to the next
        return records.insert(job).handleAsync((stored, error) -> {
            try {
                if (error != null) {
                    stored = records.insertAfter(job, error);
                    if (stored == null) {
                        gate(job.image()).leave();
                        return new Requeue("the job store is unreachable and the orchestrator is shutting down");
                    }
                }
                return afterStore(job, stored);
            } catch (RuntimeException e) {
                gate(job.image()).leave();
                throw e;
            }
        }, background);
    }

    private AdmissionGate gate(ImageDefinition image) {
        return gates.get(image.name());
    }

    private Decision afterStore(AcceptedJob job, boolean stored) {
        AdmissionGate gate = gate(job.image());
        if (!stored && records.committedByAnEarlierAttempt(job)) {
            stored = true;
        }
        if (!stored) {
            gate.leave();
            log.warn("job {}: already known to the job store (a redelivery or duplicate); acknowledged, not run"
                    + " again", job.id());
            return new Accepted();
        }
        if (closed) {
            // stored while shutting down: hand it back whole rather than keep a job nobody here will start
            gate.leave();
            records.forget(job);
            return new Requeue("the orchestrator is shutting down");
        }
        active.add(job.id());
        log.info("job {}: accepted: label {} -> image {} ({} {})", job.id(), job.label(), job.image().name(),
                job.request().repoUrl(), job.request().commitSha());
        listener.accepted(job);
        start(job);
        return new Accepted();
    }

    private static CompletionStage<Decision> done(Decision decision) {
        return CompletableFuture.completedFuture(decision);
    }

    private void start(AcceptedJob job) {
        notStarted.put(job.id(), job);
        catalog.whenReady(job.image()).whenComplete((path, error) -> imageSettled(job, path, error));
    }

    @Override
    public void resume(AcceptedJob job) {
        active.add(job.id());
        gateless.add(job.id());
        start(job);
    }

    @Override
    public void adopt(AcceptedJob job, VmHandle vm, java.time.Instant startedAt) {
        active.add(job.id());
        scheduler.submit(new JobScheduler.ScheduledJob() {
            @Override
            public String label() {
                return job.image().name();
            }

            @Override
            public void run() {
                try {
                    runner.adopt(job, vm, startedAt);
                } finally {
                    active.remove(job.id());
                }
            }
        });
    }

    @Override
    public void fail(AcceptedJob job, JobOutcome outcome, String summary) {
        active.add(job.id());
        background.execute(() -> {
            try {
                runner.finishWithoutRunning(job, outcome, summary);
            } finally {
                active.remove(job.id());
            }
        });
    }

    private void imageSettled(AcceptedJob job, Path path, Throwable error) {
        if (error != null) {
            if (notStarted.remove(job.id()) == null) {
                return;
            }
            leaveGate(job);
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            log.error("job {}: image {} cannot be prepared: {}", job.id(), job.image().name(), cause.getMessage());
            fail(job, JobOutcome.PROVISIONING_ERROR, "could not start a VM for the job: " + cause.getMessage());
            return;
        }
        try {
            scheduler.submit(new Task(job, path));
        } catch (IllegalStateException shuttingDown) {
            log.info("job {}: not started: the orchestrator is shutting down", job.id());
        }
    }

    /** Jobs resumed from the store took no gate slot: they came from no delivery. */
    private void leaveGate(AcceptedJob job) {
        if (!gateless.remove(job.id())) {
            gate(job.image()).leave();
        }
    }

    /** Stops accepting and returns the accepted jobs that have not started (oldest first by acceptance). */
    List<AcceptedJob> closeAndTakeNotStarted() {
        closed = true;
        gates.values().forEach(AdmissionGate::close);
        scheduler.stopStarting();
        List<AcceptedJob> taken = new ArrayList<>();
        for (UUID id : List.copyOf(notStarted.keySet())) {
            AcceptedJob job = notStarted.remove(id);
            if (job != null) {
                taken.add(job);
                active.remove(id);
            }
        }
        taken.sort((a, b) -> Long.compare(a.acceptedAtNanos(), b.acceptedAtNanos()));
        return taken;
    }

    int notStartedCount() {
        return notStarted.size();
    }

    private final class Task implements JobScheduler.ScheduledJob {
        private final AcceptedJob job;
        private final Path imagePath;

        Task(AcceptedJob job, Path imagePath) {
            this.job = job;
            this.imagePath = imagePath;
        }

        @Override
        public String label() {
            return job.image().name();
        }

        @Override
        public void run() {
            if (notStarted.remove(job.id()) == null) {
                return; // handed back to the broker by shutdown
            }
            leaveGate(job);
            try {
                runner.run(job, imagePath);
            } finally {
                active.remove(job.id());
            }
        }
    }
}
