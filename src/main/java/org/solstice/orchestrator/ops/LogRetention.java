package org.solstice.orchestrator.ops;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes finished jobs' console logs ({@code <state>/logs/*.log}) last written longer ago than the retention. */
public class LogRetention {
    private static final Logger log = LoggerFactory.getLogger(LogRetention.class);

    private final Path logsDir;
    private final Duration retention;

    public LogRetention(Path logsDir, Duration retention) {
        this.logsDir = logsDir;
        this.retention = retention;
    }

    /** One pass; returns how many logs were deleted. */
    public int sweep() {
        if (!Files.isDirectory(logsDir)) {
            return 0;
        }
        Instant cutoff = Instant.now().minus(retention);
        int deleted = 0;
        try (DirectoryStream<Path> logs = Files.newDirectoryStream(logsDir, "*.log")) {
            for (Path file : logs) {
                try {
                    if (Files.getLastModifiedTime(file).toInstant().isBefore(cutoff) && Files.deleteIfExists(file)) {
                        deleted++;
                    }
                } catch (IOException e) {
                    log.warn("cannot delete old job log {}: {}", file, e.getMessage());
                }
            }
        } catch (IOException e) {
            log.warn("cannot list job logs in {}: {}", logsDir, e.getMessage());
        }
        if (deleted > 0) {
            log.info("deleted {} job log(s) older than {} from {}", deleted, retention, logsDir);
        }
        return deleted;
    }
}
