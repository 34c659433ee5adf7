package org.solstice.orchestrator.daemon;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
import org.solstice.orchestrator.messaging.JobResult;
import org.solstice.orchestrator.messaging.ResultSink;
import org.solstice.orchestrator.scheduling.AdmissionGate;
import org.solstice.orchestrator.scheduling.JobScheduler;

/**
 * Turns valid requests into accepted jobs: resolves the label, takes a backlog slot, waits (without a
 * scheduler permit) for the image, then queues the job with the scheduler. Knows which accepted jobs have not
 * started, so shutdown can hand them back to the broker.
 */
class JobDispatcher implements JobIntake {
    private static final Logger log = LoggerFactory.getLogger(JobDispatcher.class);

    private final ImageMap images;
    private final ImageCatalog catalog;
    private final AdmissionGate gate;
    private final JobScheduler scheduler;
    private final JobRunner runner;
    private final ResultSink results;
    private final JobListener listener;
    private final ExecutorService background;
    private final Map<UUID, AcceptedJob> notStarted = new ConcurrentHashMap<>();
    private final Set<UUID> active = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    JobDispatcher(ImageMap images, ImageCatalog catalog, AdmissionGate gate, JobScheduler scheduler,
                  JobRunner runner, ResultSink results, JobListener listener, ExecutorService background) {
        this.images = images;
        this.catalog = catalog;
        this.gate = gate;
        this.scheduler = scheduler;
        this.runner = runner;
        this.results = results;
        this.listener = listener;
        this.background = background;
    }

    @Override
    public Decision offer(JobRequest request, byte[] body) throws InterruptedException {
        if (closed) {
            return new Requeue("the orchestrator is shutting down");
        }
        String label = request.runsOn() == null ? images.defaultLabel() : request.runsOn();
        Optional<ImageDefinition> image = images.resolve(label);
        if (image.isEmpty()) {
            return new Rejected("runs_on label '" + label + "' is not served here: it resolves to no image in "
                    + images.file().getFileName() + " (labels: " + String.join(", ", images.labels()) + ")");
        }
        if (active.contains(request.requestId())) {
            log.warn("job {}: delivered again while it is still being handled here; acknowledged, not run twice",
                    request.requestId());
            return new Accepted();
        }
        if (!gate.enter()) {
            return new Requeue("the orchestrator is shutting down");
        }
        if (closed) {
            gate.leave();
            return new Requeue("the orchestrator is shutting down");
        }
        AcceptedJob job = new AcceptedJob(request, label, image.get(), body, System.nanoTime());
        active.add(job.id());
        notStarted.put(job.id(), job);
        log.info("job {}: accepted: label {} -> image {} ({} {})", job.id(), label, job.image().name(),
                request.repoUrl(), request.commitSha());
        catalog.whenReady(job.image()).whenComplete((path, error) -> imageSettled(job, path, error));
        return new Accepted();
    }

    private void imageSettled(AcceptedJob job, Path path, Throwable error) {
        if (error != null) {
            if (notStarted.remove(job.id()) == null) {
                return;
            }
            gate.leave();
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            log.error("job {}: image {} cannot be prepared: {}", job.id(), job.image().name(), cause.getMessage());
            background.execute(() -> finishWithoutRunning(job, JobOutcome.PROVISIONING_ERROR,
                    "could not start a VM for the job: " + cause.getMessage()));
            return;
        }
        try {
            scheduler.submit(new Task(job, path));
        } catch (IllegalStateException shuttingDown) {
            log.info("job {}: not started: the orchestrator is shutting down", job.id());
        }
    }

    private void finishWithoutRunning(AcceptedJob job, JobOutcome outcome, String summary) {
        try {
            listener.outcome(job, outcome);
            results.publish(JobResult.of(job.request(), false, JobResult.NO_EXIT_CODE, summary, Instant.now()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            active.remove(job.id());
        }
    }

    /** Stops accepting and returns the accepted jobs that have not started (oldest first by acceptance). */
    List<AcceptedJob> closeAndTakeNotStarted() {
        closed = true;
        gate.close();
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
            gate.leave();
            try {
                runner.run(job, imagePath);
            } finally {
                active.remove(job.id());
            }
        }
    }
}
