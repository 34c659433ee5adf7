package org.solstice.orchestrator.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves each request from WIRE.md's job queue (where existing publishers send {@code jobrequest.v1}) to the queue
 * of its label: republishes the unchanged body to the label exchange with the label as routing key, mandatory
 * and confirmed, and acknowledges the original once the broker confirmed the copy. Every daemon runs one, so
 * routing needs no particular host.
 *
 * <p>The label is the request's {@code runs_on}, or this host's default label when it has none. The router does
 * not ask whether this host serves the label: the broker knows whether any host does, because each daemon binds
 * a queue for every label it serves. A copy the broker returns as unroutable is for a label no host serves: the
 * original is dead-lettered and a failed result says so. A message that is not a valid request is dead-lettered
 * here, like on the label queues.
 */
public class JobRouter extends QueueConsumer {
    private static final Logger log = LoggerFactory.getLogger(JobRouter.class);

    private final Connection connection;
    private final AmqpSettings settings;
    private final String defaultLabel;
    private final DeadLetters deadLetters;
    private final Executor settling;
    private final JobIntake local;
    private final IntakeSettlement settlement;
    private final AtomicLong routed = new AtomicLong();
    private final AtomicLong takenDirectly = new AtomicLong();
    private final AtomicLong unroutable = new AtomicLong();
    private ConfirmingPublisher publisher;

    /**
     * @param settling where a confirm is acted on (acknowledging, dead-lettering and publishing a failed result
     *                 block; confirms arrive on the connection's I/O thread, which must not)
     * @param local    this host's intake, asked first whether it takes a request at once ({@link
     *                 JobIntake#takeIfIdle}); the router moves only the others to their label's queue
     */
    public JobRouter(Connection connection, AmqpSettings settings, String defaultLabel, int prefetch,
                     ResultSink results, Executor settling, JobIntake local) {
        super(connection, settings.jobQueue(), prefetch, "solstice-router");
        this.connection = connection;
        this.settings = settings;
        this.defaultLabel = defaultLabel;
        this.deadLetters = new DeadLetters(results);
        this.settling = settling;
        this.local = local;
        this.settlement = new IntakeSettlement(deadLetters);
    }

    /** Starts routing (the topology must be declared). */
    @Override
    public void start() throws IOException {
        publisher = new ConfirmingPublisher(connection);
        super.start();
        log.info("routing job requests from queue '{}' to the label queues of exchange '{}'", settings.jobQueue(),
                settings.labelExchange());
    }

    @Override
    protected Consumer handler(Channel channel) {
        return new Handler(channel);
    }

    /** Requests moved to a label queue so far. */
    public long routed() {
        return routed.get();
    }

    /** Requests this host took straight from the job queue, its label being idle here, so far. */
    public long takenDirectly() {
        return takenDirectly.get();
    }

    /** Requests for a label no daemon serves, dead-lettered so far. */
    public long unroutable() {
        return unroutable.get();
    }

    /** Closes the channels: requests not yet acknowledged go back to the job queue. */
    @Override
    public void close() {
        super.close();
        if (publisher != null) {
            publisher.close();
        }
    }

    private final class Handler extends DeliveryHandler {
        Handler(Channel channel) {
            super(channel);
        }

        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                throws IOException {
            long deliveryTag = envelope.getDeliveryTag();
            JobRequest request;
            try {
                request = JobMessageCodec.decodeRequest(body);
            } catch (InvalidJobRequestException e) {
                deadLetters.invalid(getChannel(), deliveryTag, e);
                return;
            }
            String label = request.runsOn() == null ? defaultLabel : request.runsOn();
            Channel ch = getChannel();
            java.util.Optional<java.util.concurrent.CompletionStage<JobIntake.Decision>> here;
            try {
                here = local.takeIfIdle(request, body, label);
            } catch (RuntimeException e) {
                log.warn("job {}: this host could not take it directly ({}); routing it", request.requestId(),
                        e.getMessage());
                here = java.util.Optional.empty();
            }
            if (here.isPresent()) {
                takenDirectly.incrementAndGet();
                here.get().whenComplete((decision, error) -> settlement.settle(ch, request, deliveryTag, decision,
                        error));
                return;
            }
            publisher.publish(settings.labelExchange(), label, request.requestId().toString(), "jobrequest.v1", body)
                    .whenCompleteAsync((outcome, error) -> settle(ch, deliveryTag, request, label, outcome, error),
                            settling);
        }

        private void settle(Channel ch, long deliveryTag, JobRequest request, String label,
                            ConfirmingPublisher.Outcome outcome, Throwable error) {
            try {
                if (error != null) {
                    log.warn("job {}: could not be moved to the queue of label {} ({}); handed back to queue '{}'",
                            request.requestId(), label, error.getMessage(), settings.jobQueue());
                    ch.basicNack(deliveryTag, false, true);
                } else if (outcome == ConfirmingPublisher.Outcome.UNROUTABLE) {
                    unroutable.incrementAndGet();
                    String which = request.runsOn() == null
                            ? "the request has no runs_on and the default label '" + label + "'" : "runs_on label '"
                            + label + "'";
                    deadLetters.reject(ch, deliveryTag, request, "no orchestrator serves " + which
                            + " (no queue is bound to it on exchange '" + settings.labelExchange() + "')");
                } else {
                    ch.basicAck(deliveryTag, false);
                    routed.incrementAndGet();
                    log.debug("job {}: routed to the queue of label {}", request.requestId(), label);
                }
            } catch (IOException | RuntimeException e) {
                // the channel is gone: the broker redelivers the original, and the copy may then exist twice;
                // the job store acknowledges a known request_id without running it again
                log.warn("job {}: cannot settle the routed delivery: {}", request.requestId(), e.getMessage());
            }
        }
    }
}
