package org.solstice.orchestrator.acceptance;

import java.util.concurrent.Executor;
import org.solstice.orchestrator.config.ImageMap;
import org.solstice.orchestrator.images.ImageCatalog;
import org.solstice.orchestrator.job.JobListener;
import org.solstice.orchestrator.messaging.JobIntake;
import org.solstice.orchestrator.messaging.RequestHandBack;
import org.solstice.orchestrator.recovery.Recoverer;
import org.solstice.orchestrator.scheduling.JobScheduler;
import org.solstice.orchestrator.store.JobStore;

/**
 * Turns valid requests into accepted jobs and starts them: the {@link #intake()} the consumers offer requests to,
 * the {@link #recoverer()} reconciliation hands stored jobs to, and the hand back at shutdown.
 */
public final class Acceptance {
    private final Intake intake;
    private final Starter starter;
    private final UnstartedHandBack handBack;

    /**
     * @param maxPendingPerImage how many accepted jobs of one image may wait here to start (its backlog gate)
     * @param background         where stores complete and jobs that never get a VM are ended
     */
    public Acceptance(ImageMap images, ImageCatalog catalog, int maxPendingPerImage, JobScheduler scheduler,
                      JobRuns runs, JobListener listener, Executor background, JobStore store, String instanceId,
                      RequestHandBack broker) {
        BacklogGates gates = new BacklogGates(images, maxPendingPerImage);
        JobsInHand inHand = new JobsInHand();
        this.starter = new Starter(catalog, scheduler, runs, background, gates, inHand);
        this.intake = new Intake(images, catalog, scheduler, gates, inHand, store, instanceId, starter, listener,
                background);
        this.handBack = new UnstartedHandBack(broker, store);
    }

    public JobIntake intake() {
        return intake;
    }

    public Recoverer recoverer() {
        return starter;
    }

    /** Accepted jobs waiting for their image or a slot. */
    public int notStartedCount() {
        return starter.notStartedCount();
    }

    /** Stops accepting and starting, and hands the jobs that have not started back to the broker, oldest first. */
    public void stopAndHandBack() throws InterruptedException {
        intake.close();
        handBack.handBack(starter.stopAndTakeNotStarted());
    }
}
