package org.solstice.orchestrator.daemon;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every reconcile interval, on a thread of its own: relays results the broker did not confirm, reaps leaked VMs
 * and removes orphan files. A failed pass is logged; the next one runs anyway.
 */
final class Housekeeping implements Part {
    private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);

    private final Duration interval;
    private final JobSide side;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "housekeeping");
        t.setDaemon(true);
        return t;
    });

    Housekeeping(Duration interval, JobSide side) {
        this.interval = interval;
        this.side = side;
    }

    @Override
    public void start() {
        JobSide.Wired wired = side.wired().orElseThrow();
        long every = Math.max(1, interval.toMillis());
        thread.scheduleWithFixedDelay(() -> {
            try {
                wired.results().relay();
                wired.reconciler().reapLeaks();
                wired.reconciler().removeOrphanFiles();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.warn("housekeeping pass failed: {}", e.getMessage());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        thread.shutdownNow();
    }
}
