package org.solstice.orchestrator.job;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Observes jobs' progress (metrics, status events, log streaming). Every method has a do-nothing default and is
 * called on the job's own thread: implementations return quickly and never wait on the broker.
 *
 * <p>A job run here goes {@link #accepted} → {@link #provisioning} → {@link #vmStarted} → {@link #vmFinished}
 * → {@link #outcome}; a job that never gets a VM goes straight from accepted to outcome.
 */
public interface JobListener {
    JobListener NONE = new JobListener() {
    };

    /** Stored and acknowledged; it waits for its image and a slot. */
    default void accepted(AcceptedJob job) {
    }

    /** Its VM is about to be created; the guest console will be written to {@code consoleLog}. */
    default void provisioning(AcceptedJob job, Path consoleLog) {
    }

    default void vmStarted(AcceptedJob job, Duration sinceAccepted) {
    }

    default void vmFinished(AcceptedJob job, Duration runTime) {
    }

    /** The job ended; its console log is already at its kept place ({@link JobPolicy#jobLog}). */
    default void outcome(AcceptedJob job, JobOutcome outcome) {
    }

    /** Calls each listener in turn; one that throws is logged and does not stop the others or the job. */
    static JobListener all(List<JobListener> listeners) {
        List<JobListener> copy = List.copyOf(listeners);
        return new JobListener() {
            private void each(java.util.function.Consumer<JobListener> call) {
                for (JobListener l : copy) {
                    try {
                        call.accept(l);
                    } catch (RuntimeException e) {
                        LoggerFactory.getLogger(JobListener.class).warn("job listener {} failed: {}",
                                l.getClass().getSimpleName(), e.toString());
                    }
                }
            }

            @Override
            public void accepted(AcceptedJob job) {
                each(l -> l.accepted(job));
            }

            @Override
            public void provisioning(AcceptedJob job, Path consoleLog) {
                each(l -> l.provisioning(job, consoleLog));
            }

            @Override
            public void vmStarted(AcceptedJob job, Duration sinceAccepted) {
                each(l -> l.vmStarted(job, sinceAccepted));
            }

            @Override
            public void vmFinished(AcceptedJob job, Duration runTime) {
                each(l -> l.vmFinished(job, runTime));
            }

            @Override
            public void outcome(AcceptedJob job, JobOutcome outcome) {
                each(l -> l.outcome(job, outcome));
            }
        };
    }
}
