package org.solstice.orchestrator.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.OrchestratorException;

/**
 * Consumes the job queue with manual acks and a prefetch. Valid requests go to the {@link JobIntake} and are
 * acked once it accepts them; a message that can't be a job is rejected without requeue (so it lands in the
 * dead-letter queue), its reason is logged with the request_id when one can be read, and then a failed
 * JobResult says why.
 */
public class JobConsumer {
    private static final Logger log = LoggerFactory.getLogger(JobConsumer.class);

    private final Connection connection;
    private final AmqpSettings settings;
    private final JobIntake intake;
    private final ResultSink results;
    private final AtomicLong deliveries = new AtomicLong();
    private volatile Channel channel;
    private volatile String consumerTag;
    private volatile boolean consuming;

    public JobConsumer(Connection connection, AmqpSettings settings, JobIntake intake, ResultSink results) {
        this.connection = connection;
        this.settings = settings;
        this.intake = intake;
        this.results = results;
    }

    /** Declares the topology and starts consuming. */
    public void start() throws IOException {
        Channel ch = connection.createChannel();
        Topology.declare(ch, settings);
        ch.basicQos(settings.prefetch());
        this.channel = ch;
        consumerTag = ch.basicConsume(settings.jobQueue(), false, "solstice-orchestrator", new Handler(ch));
        consuming = true;
        log.info("consuming jobs from queue '{}' (prefetch {})", settings.jobQueue(), settings.prefetch());
    }

    /** Stops new deliveries; deliveries already on their way are handed back (requeued) by the intake. */
    public void stop() {
        consuming = false;
        Channel ch = channel;
        if (ch != null && ch.isOpen() && consumerTag != null) {
            try {
                ch.basicCancel(consumerTag);
                log.info("stopped consuming from queue '{}'", settings.jobQueue());
            } catch (IOException | RuntimeException e) {
                log.warn("cancelling the consumer failed: {}", BrokerConnector.rootMessage(e));
            }
        }
    }

    public boolean isConsuming() {
        Channel ch = channel;
        return consuming && ch != null && ch.isOpen();
    }

    public long deliveries() {
        return deliveries.get();
    }

    /** Closes the consumer's channel: deliveries not yet acked go back to the queue. */
    public void close() {
        consuming = false;
        Channel ch = channel;
        if (ch != null && ch.isOpen()) {
            try {
                ch.close();
            } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
                // the broker requeues unacked deliveries when the channel goes anyway
            }
        }
    }

    private final class Handler extends DefaultConsumer {
        Handler(Channel channel) {
            super(channel);
        }

        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                throws IOException {
            deliveries.incrementAndGet();
            long deliveryTag = envelope.getDeliveryTag();
            JobRequest request;
            try {
                request = JobMessageCodec.decodeRequest(body);
            } catch (InvalidJobRequestException e) {
                String id = e.requestId().map(Object::toString).orElse("(no readable request_id)");
                log.warn("job {}: rejected to the dead-letter queue: {}", id, e.getMessage());
                getChannel().basicReject(deliveryTag, false);
                e.failedResult(Instant.now()).ifPresent(this::publishQuietly);
                return;
            }
            java.util.concurrent.CompletionStage<JobIntake.Decision> decision;
            try {
                decision = intake.offer(request, body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                decision = java.util.concurrent.CompletableFuture.completedFuture(new JobIntake.Requeue("interrupted"));
            } catch (RuntimeException e) {
                log.error("job {}: could not be accepted: {}; handing it back to the broker", request.requestId(),
                        e.getMessage(), e);
                decision = java.util.concurrent.CompletableFuture.completedFuture(new JobIntake.Requeue(e.getMessage()));
            }
            Channel channel = getChannel();
            decision.whenComplete((d, error) -> settle(channel, request, deliveryTag, d, error));
        }

        private void settle(Channel channel, JobRequest request, long deliveryTag, JobIntake.Decision decision,
                            Throwable error) {
            try {
                if (error != null) {
                    log.error("job {}: could not be accepted: {}; handing it back to the broker", request.requestId(),
                            error.getMessage());
                    channel.basicNack(deliveryTag, false, true);
                } else if (decision instanceof JobIntake.Accepted) {
                    channel.basicAck(deliveryTag, false);
                } else if (decision instanceof JobIntake.Rejected rejected) {
                    log.warn("job {}: rejected to the dead-letter queue: {}", request.requestId(), rejected.reason());
                    channel.basicReject(deliveryTag, false);
                    publishQuietly(JobResult.of(request, false, JobResult.NO_EXIT_CODE,
                            "job rejected: " + rejected.reason(), Instant.now()));
                } else if (decision instanceof JobIntake.Requeue requeue) {
                    log.info("job {}: handed back to the broker: {}", request.requestId(), requeue.reason());
                    channel.basicNack(deliveryTag, false, true);
                }
            } catch (IOException | RuntimeException e) {
                // the channel is gone: the broker redelivers what was not acknowledged
                log.warn("job {}: cannot settle the delivery: {}", request.requestId(), e.getMessage());
            }
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

        @Override
        public void handleCancel(String tag) {
            consuming = false;
            log.error("the broker cancelled the consumer of queue '{}' (was the queue deleted?)", settings.jobQueue());
        }

        @Override
        public void handleShutdownSignal(String tag, ShutdownSignalException sig) {
            if (!sig.isInitiatedByApplication()) {
                log.warn("consumer channel closed: {}", sig.getMessage());
            }
        }
    }
}
