package org.solstice.orchestrator.messaging;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.Map;
import org.solstice.orchestrator.OrchestratorException;

/**
 * Declares the exchanges and queues of WIRE.md, idempotently and with the same arguments as every other
 * publisher and consumer. A declaration that clashes with an existing one (PRECONDITION_FAILED) is reported
 * with the object's name and what the broker said.
 */
public final class Topology {
    private Topology() {
    }

    public static Map<String, Object> jobQueueArguments(AmqpSettings s) {
        return Map.of("x-dead-letter-exchange", s.deadLetterExchange());
    }

    /**
     * A per-label queue: dead-lettered like the job queue; as a quorum queue also with a delivery limit, so a
     * message whose deliveries keep failing (a consumer that crashes on it) is dead-lettered instead of looping.
     */
    public static Map<String, Object> labelQueueArguments(AmqpSettings s) {
        if (s.queueType() == AmqpSettings.QueueType.QUORUM) {
            return Map.of("x-dead-letter-exchange", s.deadLetterExchange(), "x-queue-type", "quorum",
                    "x-delivery-limit", s.deliveryLimit());
        }
        return jobQueueArguments(s);
    }

    /** Declares the queue of one label and binds it to the label exchange with the label as routing key. */
    public static String declareLabelQueue(Channel channel, AmqpSettings s, String label) {
        String queue = s.labelQueue(label);
        step(queue, "queue", () -> channel.queueDeclare(queue, true, false, false, labelQueueArguments(s)));
        step(queue, "binding", () -> channel.queueBind(queue, s.labelExchange(), label));
        return queue;
    }

    /** Declares everything. Each declaration uses the given channel; a clash closes it and raises. */
    public static void declare(Channel channel, AmqpSettings s) {
        step(s.deadLetterExchange(), "exchange", () ->
                channel.exchangeDeclare(s.deadLetterExchange(), BuiltinExchangeType.FANOUT, true));
        step(s.deadLetterQueue(), "queue", () -> channel.queueDeclare(s.deadLetterQueue(), true, false, false, null));
        step(s.deadLetterQueue(), "binding", () -> channel.queueBind(s.deadLetterQueue(), s.deadLetterExchange(), ""));
        step(s.jobExchange(), "exchange", () -> channel.exchangeDeclare(s.jobExchange(), BuiltinExchangeType.DIRECT, true));
        step(s.jobQueue(), "queue", () ->
                channel.queueDeclare(s.jobQueue(), true, false, false, jobQueueArguments(s)));
        step(s.jobQueue(), "binding", () -> channel.queueBind(s.jobQueue(), s.jobExchange(), s.jobRoutingKey()));
        step(s.resultExchange(), "exchange", () ->
                channel.exchangeDeclare(s.resultExchange(), BuiltinExchangeType.TOPIC, true));
        step(s.labelExchange(), "exchange", () ->
                channel.exchangeDeclare(s.labelExchange(), BuiltinExchangeType.DIRECT, true));
    }

    private interface Declaration {
        Object run() throws IOException;
    }

    private static void step(String name, String kind, Declaration declaration) {
        try {
            declaration.run();
        } catch (IOException e) {
            String reason = e.getCause() instanceof ShutdownSignalException sse ? sse.getReason().toString()
                    : e.getMessage();
            if (reason != null && reason.contains("PRECONDITION_FAILED")) {
                throw new OrchestratorException("the broker already has " + kind + " '" + name
                        + "' declared with other arguments than this orchestrator's (" + reason
                        + "); align the other declarer or delete the " + kind, e);
            }
            throw new OrchestratorException("cannot declare " + kind + " '" + name + "': " + reason, e);
        }
    }
}
