package org.solstice.orchestrator.job;

import org.solstice.orchestrator.hypervisor.VmSpec;

/**
 * Where the runner records a job's progress durably (the job store). Each call returns once the record is
 * committed; implementations retry while the store is unreachable. The result is recorded by
 * {@link ResultDelivery}.
 */
public interface JobJournal {
    JobJournal NONE = new JobJournal() {
    };

    /** Before the VM is created: the VM's name, backend and files, and a new attempt. */
    default void provisioning(AcceptedJob job, VmSpec spec, String backend) {
    }

    default void running(AcceptedJob job) {
    }

    /** The VM is destroyed and cleaned up. */
    default void vmGone(AcceptedJob job, String vmName) {
    }
}
