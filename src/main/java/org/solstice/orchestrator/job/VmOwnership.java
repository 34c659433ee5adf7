package org.solstice.orchestrator.job;

import java.util.UUID;

/**
 * Who owns a job's VM in this process. A job's run owns its VM from before the VM is provisioned until after it is
 * torn down, whatever the order of result and teardown; the leak reaper asks here instead of guessing from the
 * store's state and timing.
 */
@FunctionalInterface
public interface VmOwnership {
    /** Nobody here owns anything: every VM is judged by the store alone (a process that runs no jobs). */
    VmOwnership NONE = jobId -> false;

    /** True while a live part of this process owns the VM of job {@code jobId} (its run, its teardown). */
    boolean ownsVmOf(UUID jobId);
}
