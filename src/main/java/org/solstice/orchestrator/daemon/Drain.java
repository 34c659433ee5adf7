package org.solstice.orchestrator.daemon;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.job.RunningJobs;
import org.solstice.orchestrator.messaging.JobQueues;

/**
 * The drain: stop consuming; hand accepted jobs that have not started back to the broker (so another host or a
 * later start runs them); let running jobs finish for up to the drain timeout; then cancel the rest (their VMs
 * are stopped gracefully, destroyed if they don't stop, and their results say they were cancelled). It runs once:
 * at shutdown ({@link #run()}), or earlier when the operator drains the host from the web console
 * ({@link #startInBackground()}), after which the daemon stays up, drained, until it is stopped.
 */
final class Drain {
    private static final Logger log = LoggerFactory.getLogger(Drain.class);

    /** Where the host is: taking jobs, draining, or drained (it takes none until restarted). */
    enum State {
        ACTIVE, DRAINING, DRAINED
    }

    private final Duration drainTimeout;
    private final Duration shutdownTimeout;
    private final JobSide side;
    private final RunningJobs runningJobs;
    private final AtomicReference<State> state = new AtomicReference<>(State.ACTIVE);
    private final CountDownLatch drained = new CountDownLatch(1);

    Drain(Duration drainTimeout, Duration shutdownTimeout, JobSide side, RunningJobs runningJobs) {
        this.drainTimeout = drainTimeout;
        this.shutdownTimeout = shutdownTimeout;
        this.side = side;
        this.runningJobs = runningJobs;
    }

    State state() {
        return state.get();
    }

    Duration timeout() {
        return drainTimeout;
    }

    /** At shutdown: drains, or waits for the drain already under way (or returns at once if it is over). */
    void run() throws InterruptedException {
        if (state.compareAndSet(State.ACTIVE, State.DRAINING)) {
            drain("shutting down");
        } else {
            drained.await();
        }
    }

    /**
     * The operator's drain: starts draining on a thread of its own and returns at once.
     *
     * @return false when a drain had already started (nothing is done twice)
     * @throws IllegalStateException while the host is still starting (not consuming yet)
     */
    boolean startInBackground() {
        if (side.queues().isEmpty()) {
            throw new IllegalStateException("this host is still starting: it is not consuming yet");
        }
        if (!state.compareAndSet(State.ACTIVE, State.DRAINING)) {
            return false;
        }
        Thread thread = new Thread(() -> {
            try {
                drain("draining (asked from the web console)");
                log.info("drained: this host takes no new jobs until it is restarted");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "drain");
        thread.setDaemon(true);
        thread.start();
        return true;
    }

    private void drain(String why) throws InterruptedException {
        try {
            log.info("{}: no new jobs; draining up to {}", why, drainTimeout);
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
        } finally {
            state.set(State.DRAINED);
            drained.countDown();
        }
    }
}
