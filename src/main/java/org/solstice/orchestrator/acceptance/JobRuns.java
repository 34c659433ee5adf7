package org.solstice.orchestrator.acceptance;

import java.nio.file.Path;
import java.time.Instant;
import org.solstice.orchestrator.hypervisor.VmHandle;
import org.solstice.orchestrator.job.AcceptedJob;
import org.solstice.orchestrator.job.JobOutcome;
import org.solstice.orchestrator.job.JobRunner;

/** What the starter hands a job to once it may start: {@link JobRunner} in the daemon, a fake in unit tests. */
public interface JobRuns {
    /** Runs the job in a VM of the image at {@code imagePath}; returns when its result is delivered. */
    void run(AcceptedJob job, Path imagePath);

    /** Waits for a VM that survived a restart and ends the job. */
    void adopt(AcceptedJob job, VmHandle vm, Instant startedAt);

    /** Ends the job with a failed result, without a VM. */
    void finishWithoutRunning(AcceptedJob job, JobOutcome outcome, String summary);

    static JobRuns by(JobRunner runner) {
        return new JobRuns() {
            @Override
            public void run(AcceptedJob job, Path imagePath) {
                runner.run(job, imagePath);
            }

            @Override
            public void adopt(AcceptedJob job, VmHandle vm, Instant startedAt) {
                runner.adopt(job, vm, startedAt);
            }

            @Override
            public void finishWithoutRunning(AcceptedJob job, JobOutcome outcome, String summary) {
                runner.finishWithoutRunning(job, outcome, summary);
            }
        };
    }
}
