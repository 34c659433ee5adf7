package org.solstice.orchestrator.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ReturnListener;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.solstice.orchestrator.OrchestratorException;

/**
 * Publishes with {@code mandatory=true}, persistent delivery and publisher confirms on a channel of its own. Each
 * publish returns a future that completes when the broker confirms it: with {@link Outcome#ROUTED}, or
 * {@link Outcome#UNROUTABLE} when the broker returned the message because no queue was bound; it fails when the
 * broker nacks it or the channel goes down before the confirm.
 */
public class ConfirmingPublisher implements AutoCloseable {
    private static final String SEQ_HEADER = "x-solstice-publish-seq";

    public enum Outcome { ROUTED, UNROUTABLE }

    private final Channel channel;
    private final boolean mandatory;
    private final ConcurrentNavigableMap<Long, Pending> pending = new ConcurrentSkipListMap<>();

    public ConfirmingPublisher(Connection connection) throws IOException {
        this(connection, true);
    }

    /**
     * @param mandatory false for messages nobody has to receive (status and log events): the broker drops what no
     *                  queue is bound for instead of returning it, and every outcome reads {@link Outcome#ROUTED}
     */
    public ConfirmingPublisher(Connection connection, boolean mandatory) throws IOException {
        this.mandatory = mandatory;
        this.channel = connection.createChannel();
        channel.confirmSelect();
        channel.addConfirmListener(new ConfirmListener() {
            @Override
            public void handleAck(long seq, boolean multiple) {
                settle(seq, multiple, null);
            }

            @Override
            public void handleNack(long seq, boolean multiple) {
                settle(seq, multiple, new OrchestratorException("the broker refused (nacked) the message"));
            }
        });
        channel.addReturnListener((ReturnListener) (replyCode, replyText, exchange, routingKey, props, body) -> {
            Object seq = props.getHeaders() == null ? null : props.getHeaders().get(SEQ_HEADER);
            if (seq instanceof Long s) {
                Pending p = pending.get(s);
                if (p != null) {
                    p.returned = true;
                }
            }
        });
        channel.addShutdownListener(this::failAll);
    }

    public CompletableFuture<Outcome> publish(String exchange, String routingKey, String messageId, String type,
                                              byte[] body) {
        CompletableFuture<Outcome> future = new CompletableFuture<>();
        synchronized (this) {
            long seq = channel.getNextPublishSeqNo();
            Map<String, Object> headers = new HashMap<>();
            headers.put(SEQ_HEADER, seq);
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                    .contentType("application/json")
                    .deliveryMode(2)
                    .messageId(messageId)
                    .type(type)
                    .headers(headers)
                    .timestamp(new java.util.Date())
                    .build();
            pending.put(seq, new Pending(future));
            try {
                channel.basicPublish(exchange, routingKey, mandatory, props, body);
            } catch (IOException | RuntimeException e) {
                pending.remove(seq);
                future.completeExceptionally(new OrchestratorException("cannot publish to exchange '" + exchange
                        + "': " + BrokerConnector.rootMessage(e), e));
            }
        }
        return future;
    }

    private void settle(long seq, boolean multiple, RuntimeException failure) {
        if (multiple) {
            ConcurrentNavigableMap<Long, Pending> done = pending.headMap(seq, true);
            done.values().forEach(p -> p.settle(failure));
            done.clear();
        } else {
            Pending p = pending.remove(seq);
            if (p != null) {
                p.settle(failure);
            }
        }
    }

    private void failAll(ShutdownSignalException cause) {
        OrchestratorException failure = new OrchestratorException(
                "the channel closed before the broker confirmed the message: " + cause.getMessage(), cause);
        pending.values().forEach(p -> p.future.completeExceptionally(failure));
        pending.clear();
    }

    public int unconfirmed() {
        return pending.size();
    }

    @Override
    public void close() {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
            // closing anyway
        }
    }

    private static final class Pending {
        final CompletableFuture<Outcome> future;
        volatile boolean returned;

        Pending(CompletableFuture<Outcome> future) {
            this.future = future;
        }

        void settle(RuntimeException failure) {
            if (failure != null) {
                future.completeExceptionally(failure);
            } else {
                future.complete(returned ? Outcome.UNROUTABLE : Outcome.ROUTED);
            }
        }
    }
}
