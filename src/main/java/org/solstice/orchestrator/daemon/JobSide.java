package org.solstice.orchestrator.daemon;

import java.util.Optional;
import org.solstice.orchestrator.acceptance.Acceptance;
import org.solstice.orchestrator.messaging.JobQueues;
import org.solstice.orchestrator.messaging.ResultPublisher;
import org.solstice.orchestrator.recovery.Reconciler;
import org.solstice.orchestrator.results.Results;
import org.solstice.orchestrator.scheduling.JobScheduler;

/**
 * The job side and the consumers as they are once started: written by {@link JobsPart} and {@link ConsumerPart}
 * when they start, read by operations (metrics observe jobs from the first part on) and by the drain. Empty
 * before.
 */
final class JobSide {
    /** What the job side is made of once started. */
    record Wired(JobScheduler scheduler, Acceptance acceptance, Results results, Reconciler reconciler,
                 ResultPublisher resultPublisher) {
    }

    private volatile Optional<Wired> wired = Optional.empty();
    private volatile Optional<JobQueues> queues = Optional.empty();

    Optional<Wired> wired() {
        return wired;
    }

    void started(Wired value) {
        wired = Optional.of(value);
    }

    Optional<JobQueues> queues() {
        return queues;
    }

    void consuming(JobQueues value) {
        queues = Optional.of(value);
    }
}
