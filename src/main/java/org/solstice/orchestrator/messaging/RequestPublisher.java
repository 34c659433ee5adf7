package org.solstice.orchestrator.messaging;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.solstice.orchestrator.OrchestratorException;

/**
 * Publishes jobrequest.v1 messages with confirms to the places {@link Topology} declares: a handed-back request
 * goes to its label's queue (through the label exchange), else to the job queue.
 */
public class RequestPublisher implements RequestHandBack {
    private final ConfirmingPublisher publisher;
    private final AmqpSettings settings;
    private final Duration confirmTimeout;

    public RequestPublisher(ConfirmingPublisher publisher, AmqpSettings settings, Duration confirmTimeout) {
        this.publisher = publisher;
        this.settings = settings;
        this.confirmTimeout = confirmTimeout;
    }

    @Override
    public String handBack(String label, UUID requestId, byte[] body) throws InterruptedException {
        // back to the queue of its label, so whichever host serves the label takes it next
        if (publish(settings.labelExchange(), label, requestId, body) == ConfirmingPublisher.Outcome.ROUTED) {
            return settings.labelQueue(label);
        }
        publish(settings.jobExchange(), settings.jobRoutingKey(), requestId, body);
        return settings.jobQueue();
    }

    private ConfirmingPublisher.Outcome publish(String exchange, String routingKey, UUID requestId, byte[] body)
            throws InterruptedException {
        try {
            return publisher.publish(exchange, routingKey, requestId.toString(), JobRequest.SCHEMA_VERSION, body)
                    .get(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new OrchestratorException("the broker refused request " + requestId + ": "
                    + BrokerConnector.rootMessage(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new OrchestratorException("no confirm for request " + requestId + " within "
                    + confirmTimeout.toSeconds() + " s", e);
        }
    }
}
