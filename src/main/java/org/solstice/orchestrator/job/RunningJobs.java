package org.solstice.orchestrator.job;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** The jobs running on this host right now, so shutdown can cancel those that outlast the drain. */
public class RunningJobs {
    private final Map<UUID, Run> runs = new ConcurrentHashMap<>();

    /** One job's run: cancellable only while it waits on its VM. */
    public static final class Run {
        private final Thread thread;
        private volatile boolean cancelled;
        private boolean waitingOnVm;

        Run(Thread thread) {
            this.thread = thread;
        }

        public boolean cancelled() {
            return cancelled;
        }

        synchronized void cancel() {
            cancelled = true;
            if (waitingOnVm) {
                thread.interrupt();
            }
        }

        /** Marks the start of the interruptible phase; false when already cancelled. */
        synchronized boolean enterVmWait() {
            waitingOnVm = true;
            return !cancelled;
        }

        /** Ends the interruptible phase and clears a pending interrupt meant for it. */
        synchronized void leaveVmWait() {
            waitingOnVm = false;
            Thread.interrupted();
        }
    }

    Run register(UUID id) {
        Run run = new Run(Thread.currentThread());
        runs.put(id, run);
        return run;
    }

    void unregister(UUID id) {
        runs.remove(id);
    }

    public int size() {
        return runs.size();
    }

    /** Asks every running job to stop: its VM is shut down and its result says it was cancelled. */
    public void cancelAll() {
        runs.values().forEach(Run::cancel);
    }
}
