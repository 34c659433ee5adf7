package org.solstice.orchestrator.hypervisor.libvirt;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.solstice.orchestrator.hypervisor.HypervisorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes a job's disk and seed files; the console log (the job's output) is never touched. */
final class JobFileCleaner {
    private static final Logger log = LoggerFactory.getLogger(JobFileCleaner.class);

    private JobFileCleaner() {
    }

    /** Removes overlay, seed and seed staging. Idempotent. */
    static void delete(String vmName, JobFiles files) {
        try {
            Files.deleteIfExists(files.overlay());
            Files.deleteIfExists(files.seed());
            deleteTree(files.seedStaging());
        } catch (IOException e) {
            throw new HypervisorException("cannot delete the files of VM " + vmName + " in " + files.jobDir()
                    + ": " + e.getMessage(), e);
        }
    }

    /** Best effort after a failed provision; null entries are skipped, directories are removed only when empty. */
    static void deleteQuietly(String vmName, Path... paths) {
        for (Path path : paths) {
            if (path == null) {
                continue;
            }
            try {
                Files.deleteIfExists(path);
            } catch (DirectoryNotEmptyException e) {
                log.debug("keeping non-empty {}", path);
            } catch (IOException e) {
                log.warn("provision of {} failed and {} could not be deleted: {}", vmName, path, e.getMessage());
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var entries = Files.list(dir)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                Files.deleteIfExists(entry);
            }
        }
        Files.deleteIfExists(dir);
    }
}
