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

    String keep(AcceptedJob job, VmHandle vm, String console) {
        String tail = ConsoleTail.lastLines(console, JobSummaries.TAIL_LINES, JobSummaries.TAIL_CHARS);
        Path target = policy.jobLog(job.id());
        try {
            if (!logsDirReady) {
                Files.createDirectories(target.getParent());
                logsDirReady = true;
            }
            try {
                Files.move(vm.consoleLog(), target, StandardCopyOption.REPLACE_EXISTING);
            } catch (java.nio.file.NoSuchFileException absent) {
                // the guest wrote nothing, or the VM was never created
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
