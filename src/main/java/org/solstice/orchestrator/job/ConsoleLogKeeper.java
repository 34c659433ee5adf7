package org.solstice.orchestrator.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.hypervisor.VmHandle;

/** Keeps a finished job's console log: moved to the logs directory, the job directory removed. */
final class ConsoleLogKeeper {
    private static final Logger log = LoggerFactory.getLogger(ConsoleLogKeeper.class);

    private final JobPolicy policy;
    private volatile boolean logsDirReady;

    ConsoleLogKeeper(JobPolicy policy) {
        this.policy = policy;
    }

    /** Moves the console log to the logs directory, removes the job directory, and returns the log's tail. */
    String keep(AcceptedJob job, VmHandle vm) {
        return keep(job, vm, ConsoleTail.readEnd(vm.consoleLog()));
    }

    /** What the guest wrote to the job's channel so far; unused when it cannot be read. */
    JobChannelLog.Reading readChannel(AcceptedJob job, VmHandle vm, String token) {
        try {
            return JobChannelLog.read(vm.channelLog(), token, null);
        } catch (IOException e) {
            log.warn("job {}: cannot read its job channel {}: {}", job.id(), vm.channelLog(), e.getMessage());
            return JobChannelLog.Reading.UNUSED;
        }
    }

    /**
     * Keeps the job's log: the job's own output from its channel when the guest used it (the console then kept
     * beside it), else the console log. Returns the output's tail for a summary.
     */
    String keep(AcceptedJob job, VmHandle vm, String console) {
        String tail = ConsoleTail.lastLines(console, JobSummaries.TAIL_LINES, JobSummaries.TAIL_CHARS);
        Path target = policy.jobLog(job.id());
        try {
            if (!logsDirReady) {
                Files.createDirectories(target.getParent());
                logsDirReady = true;
            }
            boolean channelUsed = JobChannelLog.used(vm.channelLog());
            Path output = null;
            if (channelUsed) {
                // decoded beside the channel, and put in place whole (readers wait for the job log to appear)
                output = vm.jobDir().resolve("output.log");
                JobChannelLog.Reading channel = JobChannelLog.read(vm.channelLog(), ExitTokenFile.read(vm.jobDir()),
                        output);
                if (!channel.problems().isEmpty()) {
                    log.warn("job {}: its job channel was not all readable: {}", job.id(), channel.problems());
                }
                tail = channel.tail();
            }
            try {
                Files.move(vm.consoleLog(), channelUsed ? policy.consoleLog(job.id()) : target,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (java.nio.file.NoSuchFileException absent) {
                // the guest wrote nothing, or the VM was never created
            }
            if (output != null) {
                Files.move(output, target, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.deleteIfExists(vm.channelLog());
            Files.deleteIfExists(vm.jobDir().resolve(ExitTokenFile.NAME));
            try {
                Files.delete(vm.jobDir());
            } catch (java.nio.file.NoSuchFileException absent) {
                // never created
            }
        } catch (IOException e) {
            log.warn("job {}: cannot move its console log to {} or remove {}: {}", job.id(), target, vm.jobDir(),
                    e.getMessage());
        }
        return tail;
    }
}
