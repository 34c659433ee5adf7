package org.solstice.orchestrator.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one label's queue with manual acks and a prefetch, on a channel of its own (so a label whose backlog
 * slots are full blocks only its own deliveries). Valid requests go to the {@link JobIntake} with the queue's
 * label and are acked once it accepts them; a message that can't be a job is dead-lettered with a failed result
 * that says why ({@link DeadLetters}).
 */
public class JobConsumer extends QueueConsumer {
    private static final Logger log = LoggerFactory.getLogger(JobConsumer.class);

    private final String label;
    private final JobIntake intake;
    private final DeadLetters deadLetters;
    private final IntakeSettlement settlement;
    private final AtomicLong deliveries = new AtomicLong();

    public JobConsumer(Connection connection, String queue, String label, int prefetch, JobIntake intake,
                       ResultSink results) {
        super(connection, queue, prefetch, "solstice-orchestrator");
        this.label = label;
        this.intake = intake;
        this.deadLetters = new DeadLetters(results);
        this.settlement = new IntakeSettlement(deadLetters);
    }

    @Override
    public void start() throws IOException {
        super.start();
        log.info("consuming label {} from queue '{}' (prefetch {})", label, queue(), prefetch());
    }

    @Override
    protected Consumer handler(Channel channel) {
        return new Handler(channel);
    }

    public long deliveries() {
        return deliveries.get();
    }

    public String label() {
        return label;
    }

    private final class Handler extends DeliveryHandler {
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
                deadLetters.invalid(getChannel(), deliveryTag, e);
                return;
            }
            if (request.runsOn() != null && !request.runsOn().equals(label)) {
                deadLetters.reject(getChannel(), deliveryTag, request, "runs_on '" + request.runsOn()
                        + "' arrived on the queue of label '" + label + "' (published to the label exchange with"
                        + " another routing key)");
                return;
            }
            java.util.concurrent.CompletionStage<JobIntake.Decision> decision;
            try {
                decision = intake.offer(request, body, label);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                decision = java.util.concurrent.CompletableFuture.completedFuture(new JobIntake.HandBack("interrupted"));
            } catch (RuntimeException e) {
                log.error("job {}: could not be accepted: {}; handing it back to the broker", request.requestId(),
                        e.getMessage(), e);
                decision = java.util.concurrent.CompletableFuture.completedFuture(new JobIntake.HandBack(e.getMessage()));
            }
            Channel channel = getChannel();
            decision.whenComplete((d, error) -> settlement.settle(channel, request, deliveryTag, d, error));
        }
    }
}
