package org.solstice.orchestrator.hypervisor;

import java.nio.file.Path;
import java.util.UUID;

/**
 * A provisioned VM. Backends keep their own state keyed by {@link #name()}; the handle is plain data so a
 * restarted daemon can rebuild it from the job store.
 */
public record VmHandle(UUID jobId, String name, String backend, Path jobDir, Path consoleLog) {

    public static VmHandle of(VmSpec spec, String backend) {
        return new VmHandle(spec.jobId(), spec.vmName(), backend, spec.jobDir(), spec.consoleLog());
    }

    /** Where the guest's job channel is written ({@link VmSpec#channelLog()}). */
    public Path channelLog() {
        return jobDir.resolve(VmSpec.CHANNEL_LOG);
    }
}
