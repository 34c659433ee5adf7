package org.solstice.orchestrator.messaging;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.OrchestratorException;

/**
 * Sends a delivery that can't become a job to the dead-letter queue (reject without requeue), logs why with the
 * request_id when one can be read, and then publishes the failed JobResult that tells the publisher why.
 */
final class DeadLetters {
    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final ResultSink results;

    DeadLetters(ResultSink results) {
        this.results = results;
    }

    /** A message that is not a valid JobRequest. */
    void invalid(Channel channel, long deliveryTag, InvalidJobRequestException e) throws IOException {
        String id = e.requestId().map(Object::toString).orElse("(no readable request_id)");
        log.warn("job {}: rejected to the dead-letter queue: {}", id, e.getMessage());
        channel.basicReject(deliveryTag, false);
        e.failedResult(Instant.now()).ifPresent(this::publishQuietly);
    }

    /** A valid request that nobody here (or anywhere) can run. */
    void reject(Channel channel, long deliveryTag, JobRequest request, String reason) throws IOException {
        log.warn("job {}: rejected to the dead-letter queue: {}", request.requestId(), reason);
        channel.basicReject(deliveryTag, false);
        publishQuietly(JobResult.of(request, false, JobResult.NO_EXIT_CODE, "job rejected: " + reason,
                Instant.now()));
    }

    private void publishQuietly(JobResult result) {
        try {
            if (!results.tryPublish(result)) {
                log.error("job {}: the failed result could not be published; the message is in the dead-letter"
                        + " queue", result.requestId());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (OrchestratorException e) {
            log.error("job {}: the failed result could not be published: {}", result.requestId(), e.getMessage());
        }
    }
}
