package org.solstice.orchestrator.job;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The jobs this process is running right now, from the moment a worker takes one until its result is delivered and
 * its VM torn down. Shutdown cancels those that outlast the drain; the leak reaper leaves their VMs alone (a VM is a
 * leak only when no job here owns it, see {@link VmOwnership}).
 */
public class RunningJobs implements VmOwnership {
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

    /** True while the job's run is in progress here, its teardown included. */
    @Override
    public boolean ownsVmOf(UUID jobId) {
        return runs.containsKey(jobId);
    }

    public int size() {
        return runs.size();
    }

    /**
     * Asks one running job to stop, as {@link #cancelAll} does.
     *
     * @return false when the job is not running here
     */
    public boolean cancel(UUID id) {
        Run run = runs.get(id);
        if (run == null) {
            return false;
        }
        run.cancel();
        return true;
    }

    /** Asks every running job to stop: its VM is shut down and its result says it was cancelled. */
    public void cancelAll() {
        runs.values().forEach(Run::cancel);
    }
}
