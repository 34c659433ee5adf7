package org.solstice.orchestrator.testing;

import org.awaitility.Awaitility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * A job's kept log, {@code <state>/logs/<id>.log}. The runner moves it there after the result is published (the
 * result goes out before the teardown), so a test that has the result waits for the move, which is one rename.
 */
public final class KeptLogs {
    private KeptLogs() {
    }

    /** Waits (up to 30 s) until the job's console log has been kept, and returns it. */
    public static String await(Path stateDir, UUID jobId) {
        Path log = stateDir.resolve("logs").resolve(jobId + ".log");
        Awaitility.await("the kept log " + log + " (moved there after the result, at the teardown)")
                .atMost(Duration.ofSeconds(30)).until(() -> Files.exists(log));
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
