package org.solstice.orchestrator.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.solstice.orchestrator.OrchestratorException;

/**
 * A publisher's view of the orchestrator: publishes JobRequests (mandatory, persistent, confirmed) and
 * optionally watches the result exchange. Used by {@code orchestrator enqueue}, tests and benchmarks.
 */
public class JobClient implements AutoCloseable {
    private final AmqpSettings settings;
    private final Connection connection;
    private final ConfirmingPublisher publisher;
    private final Map<UUID, JobResult> results = new ConcurrentHashMap<>();
    private final Map<UUID, Integer> deliveriesById = new ConcurrentHashMap<>();
    private Channel resultChannel;

    public JobClient(AmqpSettings settings) {
        this(settings, BrokerSecurity.none());
    }

    /** With TLS options and credentials that override the URL's (see {@link BrokerSecurity}). */
    public JobClient(AmqpSettings settings, BrokerSecurity security) {
        this.settings = settings;
        BrokerConnector connector = new BrokerConnector(settings, security, "solstice-enqueue");
        try {
            this.connection = connector.connect();
            try (Channel ch = connection.createChannel()) {
                Topology.declare(ch, settings);
            }
            this.publisher = new ConfirmingPublisher(connection);
        } catch (IOException | TimeoutException e) {
            throw new OrchestratorException("cannot reach RabbitMQ at " + settings.redactedUri() + ": "
                    + connector.describe(e), e);
        }
    }

    /** Starts collecting results (call before publishing what you will wait for). */
    public synchronized void watchResults() {
        if (resultChannel != null) {
            return;
        }
        try {
            resultChannel = connection.createChannel();
            String queue = resultChannel.queueDeclare("", false, true, true, null).getQueue();
            resultChannel.queueBind(queue, settings.resultExchange(), settings.resultRoutingKey());
            resultChannel.basicConsume(queue, true, new DefaultConsumer(resultChannel) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
                    try {
                        JobResult result = JobMessageCodec.decodeResult(body);
                        synchronized (results) {
                            deliveriesById.merge(result.requestId(), 1, Integer::sum);
                            results.putIfAbsent(result.requestId(), result);
                            results.notifyAll();
                        }
                    } catch (IllegalArgumentException e) {
                        // not a result of ours: ignore
                    }
                }
            });
        } catch (IOException e) {
            throw new OrchestratorException("cannot watch results on exchange '" + settings.resultExchange() + "': "
                    + BrokerConnector.rootMessage(e), e);
        }
    }

    /** Publishes and waits for the broker's confirm; an unroutable or refused request is an error. */
    public void publish(JobRequest request) {
        publishRaw(request.requestId().toString(), JobMessageCodec.encodeRequest(request));
    }

    /** Publishes any body to the job exchange (tests use it for malformed messages). */
    public void publishRaw(String messageId, byte[] body) {
        try {
            ConfirmingPublisher.Outcome outcome = publisher.publish(settings.jobExchange(), settings.jobRoutingKey(),
                    messageId, JobRequest.SCHEMA_VERSION, body).get(30, TimeUnit.SECONDS);
            if (outcome == ConfirmingPublisher.Outcome.UNROUTABLE) {
                throw new OrchestratorException("the broker could not route the job: no queue is bound to exchange '"
                        + settings.jobExchange() + "' with routing key '" + settings.jobRoutingKey() + "'");
            }
        } catch (ExecutionException e) {
            throw new OrchestratorException("the job was not accepted by the broker: " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new OrchestratorException("the broker did not confirm the job within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OrchestratorException("interrupted while publishing", e);
        }
    }

    /** Waits for the result of one job (requires {@link #watchResults()} first). */
    public Optional<JobResult> awaitResult(UUID requestId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (results) {
            while (!results.containsKey(requestId)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                TimeUnit.NANOSECONDS.timedWait(results, left);
            }
            return Optional.of(results.get(requestId));
        }
    }

    /** How many results arrived for each request id (more than one would be a duplicate). */
    public Map<UUID, Integer> resultCounts() {
        return deliveriesById;
    }

    /** Results received so far, by request id. */
    public Map<UUID, JobResult> results() {
        return results;
    }

    @Override
    public void close() {
        publisher.close();
        try {
            connection.close(5000);
        } catch (IOException | RuntimeException e) {
            // closing anyway
        }
    }
}
