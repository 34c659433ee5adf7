package org.solstice.orchestrator.results;

import java.time.Instant;
import org.solstice.orchestrator.hypervisor.VmSpec;
import org.solstice.orchestrator.job.AcceptedJob;
import org.solstice.orchestrator.job.JobJournal;
import org.solstice.orchestrator.store.JobStore;
import org.solstice.orchestrator.store.StoreRetry;
import org.solstice.orchestrator.store.VmRecord;

/** Records jobs' progress in the {@link JobStore}, retrying while the database is away. */
public class StoreJournal implements JobJournal {
    private final JobStore store;

    public StoreJournal(JobStore store) {
        this.store = store;
    }

    @Override
    public void provisioning(AcceptedJob job, VmSpec spec, String backend) {
        VmRecord vm = new VmRecord(spec.vmName(), job.id(), spec.instanceId(), backend, spec.jobDir(),
                spec.consoleLog(), "provisioning", Instant.now());
        StoreRetry.run("job " + job.id() + ": recording its VM", () -> store.provisioning(job.id(), vm));
    }

    @Override
    public void running(AcceptedJob job) {
        StoreRetry.run("job " + job.id() + ": recording it running", () -> store.running(job.id()));
    }

    @Override
    public void vmGone(AcceptedJob job, String vmName) {
        StoreRetry.run("job " + job.id() + ": forgetting its VM", () -> store.vmGone(vmName));
    }
}
