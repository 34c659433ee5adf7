package org.solstice.orchestrator.job;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How jobs are run on this host.
 *
 * @param stateDir        per-job directories live under {@code stateDir/jobs/<request_id>}
 * @param instanceId      this orchestrator's identity, written into every VM's metadata
 * @param jobTimeout      default limit on a job's run time (an image may override it)
 * @param shutdownTimeout how long a guest gets to power off after the ACPI request before it is destroyed
 */
public record JobPolicy(Path stateDir, String instanceId, Duration jobTimeout, Duration shutdownTimeout) {
    public JobPolicy {
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(instanceId, "instanceId");
        if (jobTimeout.isNegative() || jobTimeout.isZero()) {
            throw new IllegalArgumentException("job timeout must be positive");
        }
    }

    public Path jobDir(java.util.UUID jobId) {
        return stateDir.resolve("jobs").resolve(jobId.toString());
    }

    /**
     * Where a finished job's log is kept: the job's own output when the guest wrote it to its job channel, else
     * its console log.
     */
    public Path jobLog(java.util.UUID jobId) {
        return stateDir.resolve("logs").resolve(jobId + ".log");
    }

    /** Where a finished job's console log is kept beside its job log, when the guest used its job channel. */
    public Path consoleLog(java.util.UUID jobId) {
        return stateDir.resolve("logs").resolve(jobId + ".console.log");
    }
}
