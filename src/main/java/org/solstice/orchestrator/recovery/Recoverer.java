package org.solstice.orchestrator.recovery;

import java.time.Instant;
import org.solstice.orchestrator.hypervisor.VmHandle;
import org.solstice.orchestrator.job.AcceptedJob;
import org.solstice.orchestrator.job.JobOutcome;

/** What reconciliation can do with a job found in the store after a restart. */
public interface Recoverer {
    /** Run it (again) from the start: it goes through image preparation and the scheduler like a new job. */
    void resume(AcceptedJob job);

    /** Its VM still runs: wait for it under the scheduler, counting against the limits. */
    void adopt(AcceptedJob job, VmHandle vm, Instant startedAt);

    /** End it with a failed result. */
    void fail(AcceptedJob job, JobOutcome outcome, String summary);
}
