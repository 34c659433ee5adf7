package org.solstice.orchestrator.acceptance;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.config.ImageDefinition;
import org.solstice.orchestrator.config.ImageMap;
import org.solstice.orchestrator.images.ImageCatalog;
import org.solstice.orchestrator.job.AcceptedJob;
import org.solstice.orchestrator.job.JobListener;
import org.solstice.orchestrator.messaging.JobIntake;
import org.solstice.orchestrator.messaging.JobRequest;
import org.solstice.orchestrator.scheduling.JobScheduler;
import org.solstice.orchestrator.store.JobStore;

/**
 * The intake decisions for a valid request: resolve its label, refuse a duplicate in hand, take a slot of its
 * image's backlog gate, store the job (retrying while the store is away), and only then say "accepted" (the
 * consumer acknowledges the delivery). An accepted job goes to the {@link Starter}.
 */
final class Intake implements JobIntake {
    private static final Logger log = LoggerFactory.getLogger(Intake.class);

    private final ImageMap images;
    private final ImageCatalog catalog;
    private final JobScheduler scheduler;
    private final BacklogGates gates;
    private final JobsInHand inHand;
    private final AcceptanceRecords records;
    private final Starter starter;
    private final JobListener listener;
    private final Executor background;
    private volatile boolean closed;

    Intake(ImageMap images, ImageCatalog catalog, JobScheduler scheduler, BacklogGates gates, JobsInHand inHand,
           JobStore store, String instanceId, Starter starter, JobListener listener, Executor background) {
        this.images = images;
        this.catalog = catalog;
        this.scheduler = scheduler;
        this.gates = gates;
        this.inHand = inHand;
        this.records = new AcceptanceRecords(store, instanceId, () -> !closed, inHand::contains);
        this.starter = starter;
        this.listener = listener;
        this.background = background;
    }

    @Override
    public CompletionStage<Decision> offer(JobRequest request, byte[] body, String label)
            throws InterruptedException {
        if (closed) {
            return done(new HandBack("the orchestrator is shutting down"));
        }
        Optional<ImageDefinition> image = images.resolve(label);
        if (image.isEmpty()) {
            return done(new Rejected("runs_on label '" + label + "' is not served here: it resolves to no image in "
                    + images.file().getFileName() + " (labels: " + String.join(", ", images.labels()) + ")"));
        }
        if (inHand.contains(request.requestId())) {
            log.warn("job {}: delivered again while it is still being handled here; acknowledged, not run twice",
                    request.requestId());
            return done(new Accepted());
        }
        if (!gates.enter(image.get())) {
            return done(new HandBack("the orchestrator is shutting down"));
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
        if (image.isEmpty() || !scheduler.hasRoomFor(image.get().name()) || inHand.contains(request.requestId())
                || !isReady(image.get()) || !gates.tryEnterIfIdle(image.get())) {
            return Optional.empty();
        }
        log.debug("job {}: taken straight from the router: label {} is idle here", request.requestId(), label);
        return Optional.of(admit(request, body, label, image.get()));
    }

    /** Accepts nothing more; stores still under way hand their jobs back. */
    void close() {
        closed = true;
        gates.close();
    }

    private boolean isReady(ImageDefinition image) {
        CompletableFuture<Path> ready = catalog.whenReady(image);
        return ready.isDone() && !ready.isCompletedExceptionally();
    }

    /** Stores a job that holds a slot of its image's gate, then starts it; the decision follows the store. */
    private CompletionStage<Decision> admit(JobRequest request, byte[] body, String label, ImageDefinition image) {
        if (closed) {
            gates.leave(image);
            return done(new HandBack("the orchestrator is shutting down"));
        }
        AcceptedJob job = new AcceptedJob(request, label, image, body, System.nanoTime());
        // the delivery is acknowledged only once the job is committed: the store's group commit does that for
        // many deliveries at once while the consumer goes on to the next
        return records.insert(job).handleAsync((stored, error) -> {
            try {
                if (error != null) {
                    stored = records.insertAfter(job, error);
                    if (stored == null) {
                        gates.leave(image);
                        return new HandBack("the job store is unreachable and the orchestrator is shutting down");
                    }
                }
                return afterStore(job, stored);
            } catch (RuntimeException e) {
                gates.leave(image);
                throw e;
            }
        }, background);
    }

    private Decision afterStore(AcceptedJob job, boolean stored) {
        if (!stored && records.committedByAnEarlierAttempt(job)) {
            stored = true;
        }
        if (!stored) {
            gates.leave(job.image());
            log.warn("job {}: already known to the job store (a redelivery or duplicate); acknowledged, not run"
                    + " again", job.id());
            return new Accepted();
        }
        if (closed) {
            // stored while shutting down: hand it back whole rather than keep a job nobody here will start
            gates.leave(job.image());
            records.forget(job);
            return new HandBack("the orchestrator is shutting down");
        }
        inHand.add(job.id());
        log.info("job {}: accepted: label {} -> image {} ({} {})", job.id(), job.label(), job.image().name(),
                job.request().repoUrl(), job.request().commitSha());
        listener.accepted(job);
        starter.start(job);
        return new Accepted();
    }

    private static CompletionStage<Decision> done(Decision decision) {
        return CompletableFuture.completedFuture(decision);
    }
}
