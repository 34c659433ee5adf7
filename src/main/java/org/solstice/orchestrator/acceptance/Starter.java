package org.solstice.orchestrator.acceptance;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.hypervisor.VmHandle;
import org.solstice.orchestrator.images.ImageCatalog;
import org.solstice.orchestrator.job.AcceptedJob;
import org.solstice.orchestrator.job.JobOutcome;
import org.solstice.orchestrator.recovery.Recoverer;
import org.solstice.orchestrator.scheduling.JobScheduler;

/**
 * Starts accepted jobs: each waits (without a scheduler permit) for its image, then queues with the scheduler,
 * which runs it when the global limit and its image's capacity allow. Until then it is on the not-started list,
 * from which shutdown may take it to hand it back. Also recovery's hook: jobs found in the store after a restart
 * are resumed, adopted or failed here.
 */
final class Starter implements Recoverer {
    private static final Logger log = LoggerFactory.getLogger(Starter.class);

    private final ImageCatalog catalog;
    private final JobScheduler scheduler;
    private final JobRuns runs;
    private final Executor background;
    private final BacklogGates gates;
    private final JobsInHand inHand;
    private final NotStartedJobs notStarted = new NotStartedJobs();

    Starter(ImageCatalog catalog, JobScheduler scheduler, JobRuns runs, Executor background, BacklogGates gates,
            JobsInHand inHand) {
        this.catalog = catalog;
        this.scheduler = scheduler;
        this.runs = runs;
        this.background = background;
        this.gates = gates;
        this.inHand = inHand;
    }

    /** An accepted job (in hand, holding a backlog slot): waits for its image, then for a slot. */
    void start(AcceptedJob job) {
        notStarted.add(job);
        catalog.whenReady(job.image()).whenComplete((path, error) -> imageSettled(job, path, error));
    }

    @Override
    public void resume(AcceptedJob job) {
        inHand.add(job.id());
        gates.holdsNoSlot(job);
        start(job);
    }

    @Override
    public void adopt(AcceptedJob job, VmHandle vm, Instant startedAt) {
        inHand.add(job.id());
        scheduler.submit(new Scheduled(job, () -> runs.adopt(job, vm, startedAt)));
    }

    @Override
    public void fail(AcceptedJob job, JobOutcome outcome, String summary) {
        inHand.add(job.id());
        background.execute(() -> {
            try {
                runs.finishWithoutRunning(job, outcome, summary);
            } finally {
                inHand.remove(job.id());
            }
        });
    }

    /** Starts nothing more and takes the jobs that have not started (oldest first): they are the caller's now. */
    List<AcceptedJob> stopAndTakeNotStarted() {
        scheduler.stopStarting();
        List<AcceptedJob> taken = notStarted.takeAll();
        taken.forEach(job -> inHand.remove(job.id()));
        return taken;
    }

    int notStartedCount() {
        return notStarted.size();
    }

    private void imageSettled(AcceptedJob job, Path path, Throwable error) {
        if (error != null) {
            if (!notStarted.take(job)) {
                return;
            }
            gates.release(job);
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            log.error("job {}: image {} cannot be prepared: {}", job.id(), job.image().name(), cause.getMessage());
            fail(job, JobOutcome.PROVISIONING_ERROR, "could not start a VM for the job: " + cause.getMessage());
            return;
        }
        try {
            scheduler.submit(new Scheduled(job, () -> {
                if (!notStarted.take(job)) {
                    return; // handed back to the broker by shutdown
                }
                gates.release(job);
                runs.run(job, path);
            }));
        } catch (IllegalStateException shuttingDown) {
            log.info("job {}: not started: the orchestrator is shutting down", job.id());
        }
    }

    /** A job under the scheduler, counted against its image's capacity; no longer in hand once it is done. */
    private final class Scheduled implements JobScheduler.ScheduledJob {
        private final AcceptedJob job;
        private final Runnable work;

        Scheduled(AcceptedJob job, Runnable work) {
            this.job = job;
            this.work = work;
        }

        @Override
        public String label() {
            return job.image().name();
        }

        @Override
        public void run() {
            try {
                work.run();
            } finally {
                inHand.remove(job.id());
            }
        }
    }
}
