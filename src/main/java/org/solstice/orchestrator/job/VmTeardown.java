package org.solstice.orchestrator.job;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.hypervisor.Hypervisor;
import org.solstice.orchestrator.hypervisor.VmHandle;

/** Tears a job's VM down, whatever state it is in, and records in the journal that it is gone. */
final class VmTeardown {
    private static final Logger log = LoggerFactory.getLogger(VmTeardown.class);

    private final Hypervisor hypervisor;
    private final Duration shutdownTimeout;
    private final JobJournal journal;

    VmTeardown(Hypervisor hypervisor, Duration shutdownTimeout, JobJournal journal) {
        this.hypervisor = hypervisor;
        this.shutdownTimeout = shutdownTimeout;
        this.journal = journal;
    }

    /** Always leaves nothing behind: graceful stop if still running, destroy what does not stop, clean up. */
    void run(AcceptedJob job, VmHandle vm, boolean poweredOff) {
        boolean interrupted = Thread.interrupted();
        try {
            if (!poweredOff) {
                boolean stopped = false;
                try {
                    stopped = hypervisor.stop(vm, shutdownTimeout);
                } catch (RuntimeException e) {
                    log.warn("job {}: graceful stop of VM {} failed: {}", job.id(), vm.name(), e.getMessage());
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                if (!stopped) {
                    log.warn("job {}: VM {} did not power off within {}; destroying it", job.id(), vm.name(),
                            shutdownTimeout);
                }
            }
            try {
                hypervisor.destroy(vm);
                hypervisor.cleanup(vm);
                journal.vmGone(job, vm.name());
                log.debug("job {}: VM {} cleaned up", job.id(), vm.name());
            } catch (RuntimeException e) {
                log.error("job {}: tearing down VM {} failed (the leak reaper will retry): {}", job.id(), vm.name(),
                        e.getMessage());
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
