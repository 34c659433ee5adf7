package org.solstice.orchestrator.daemon;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.job.RunningJobs;
import org.solstice.orchestrator.messaging.JobQueues;

/**
 * The drain at shutdown: stop consuming; hand accepted jobs that have not started back to the broker (so another
 * host or a later start runs them); let running jobs finish for up to the drain timeout; then cancel the rest
 * (their VMs are stopped gracefully, destroyed if they don't stop, and their results say they were cancelled).
 */
final class Drain {
    private static final Logger log = LoggerFactory.getLogger(Drain.class);

    private final Duration drainTimeout;
    private final Duration shutdownTimeout;
    private final JobSide side;
    private final RunningJobs runningJobs;

    Drain(Duration drainTimeout, Duration shutdownTimeout, JobSide side, RunningJobs runningJobs) {
        this.drainTimeout = drainTimeout;
        this.shutdownTimeout = shutdownTimeout;
        this.side = side;
        this.runningJobs = runningJobs;
    }

    void run() throws InterruptedException {
        log.info("shutting down: no new jobs; draining up to {}", drainTimeout);
        side.queues().ifPresent(JobQueues::stop);
        var wired = side.wired();
        if (wired.isEmpty()) {
            return;
        }
        wired.get().acceptance().stopAndHandBack();
        if (!wired.get().scheduler().awaitIdle(drainTimeout)) {
            log.warn("{} job(s) still running after the drain timeout: cancelling them", runningJobs.size());
            runningJobs.cancelAll();
            if (!wired.get().scheduler().awaitIdle(shutdownTimeout.plusSeconds(60))) {
                log.error("{} job(s) did not finish after cancellation", runningJobs.size());
            }
        }
    }
}
