package org.solstice.orchestrator.job;

import java.time.Duration;

/** Observes jobs' progress (metrics, status events). Every method has a do-nothing default. */
public interface JobListener {
    JobListener NONE = new JobListener() {
    };

    default void vmStarted(AcceptedJob job, Duration sinceAccepted) {
    }

    default void vmFinished(AcceptedJob job, Duration runTime) {
    }

    default void outcome(AcceptedJob job, JobOutcome outcome) {
    }
}
