package org.solstice.orchestrator.images;

import java.time.Duration;

/**
 * How preparing one image ended, for logs and metrics.
 *
 * @param result          what happened
 * @param bytesDownloaded bytes fetched from the source by this preparation (a resumed prefix is not counted)
 * @param size            size of the prepared image, or -1 when it failed
 * @param sha256          SHA-256 of the prepared image, or null when it failed
 * @param duration        time from start to the outcome, waiting for another process's lock included
 * @param attempts        attempts made (0 when the image was already ready)
 * @param error           why it failed, or null
 */
public record PreparationOutcome(Result result, long bytesDownloaded, long size, String sha256, Duration duration,
                                 int attempts, String error) {

    public enum Result {
        /** Fetched and put in place by this preparation. */
        PREPARED,
        /** Already ready (possibly prepared meanwhile by another process): nothing fetched. */
        ALREADY_READY,
        /** Failed for good. */
        FAILED
    }
}
