package org.solstice.orchestrator.job;

import java.util.Objects;
import org.solstice.orchestrator.config.ImageDefinition;
import org.solstice.orchestrator.messaging.JobRequest;

/**
 * A job the daemon has taken responsibility for.
 *
 * @param label           the label the job asked for (runs_on, or the default label)
 * @param body            the original message, kept to hand the job back to the broker on shutdown
 * @param acceptedAtNanos {@link System#nanoTime()} when the message was accepted
 */
public record AcceptedJob(JobRequest request, String label, ImageDefinition image, byte[] body,
                          long acceptedAtNanos) {
    public AcceptedJob {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(image, "image");
    }

    public java.util.UUID id() {
        return request.requestId();
    }
}
