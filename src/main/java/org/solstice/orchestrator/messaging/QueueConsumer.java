package org.solstice.orchestrator.messaging;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One queue consumed with manual acks and a prefetch on a channel of its own: start, stop (cancel: nothing new
 * arrives, deliveries in hand are still settled) and close (unacknowledged deliveries return to the queue).
 */
abstract class QueueConsumer {
    private static final Logger log = LoggerFactory.getLogger(QueueConsumer.class);

    private final Connection connection;
    private final String queue;
    private final int prefetch;
    private final String consumerName;
    private volatile Channel channel;
    private volatile String consumerTag;
    private volatile boolean consuming;

    QueueConsumer(Connection connection, String queue, int prefetch, String consumerName) {
        this.connection = connection;
        this.queue = queue;
        this.prefetch = prefetch;
        this.consumerName = consumerName;
    }

    /** The callbacks for deliveries on {@code channel}. */
    protected abstract Consumer handler(Channel channel);

    /** Starts consuming (the queue must be declared). */
    public void start() throws IOException {
        Channel ch = connection.createChannel();
        ch.basicQos(prefetch);
        channel = ch;
        consumerTag = ch.basicConsume(queue, false, consumerName, handler(ch));
        consuming = true;
    }

    /** Stops new deliveries; those already here are settled by their handlers. */
    public void stop() {
        consuming = false;
        Channel ch = channel;
        if (ch != null && ch.isOpen() && consumerTag != null) {
            try {
                ch.basicCancel(consumerTag);
            } catch (IOException | RuntimeException e) {
                log.warn("cancelling the consumer of queue '{}' failed: {}", queue, BrokerConnector.rootMessage(e));
            }
        }
    }

    public boolean isConsuming() {
        Channel ch = channel;
        return consuming && ch != null && ch.isOpen();
    }

    /** Deliveries' callbacks; a cancel by the broker or a channel lost is logged here. */
    protected abstract class DeliveryHandler extends DefaultConsumer {
        protected DeliveryHandler(Channel channel) {
            super(channel);
        }

        @Override
        public void handleCancel(String tag) {
            consuming = false;
            log.error("the broker cancelled the consumer of queue '{}' (was the queue deleted?)", queue);
        }

        @Override
        public void handleShutdownSignal(String tag, ShutdownSignalException sig) {
            if (!sig.isInitiatedByApplication()) {
                log.warn("the channel consuming queue '{}' closed: {}", queue, sig.getMessage());
            }
        }
    }

    /** Closes the channel: deliveries not yet acknowledged go back to the queue. */
    public void close() {
        consuming = false;
        Channel ch = channel;
        if (ch != null && ch.isOpen()) {
            try {
                ch.close();
            } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
                // the broker requeues unacknowledged deliveries when the channel goes anyway
            }
        }
    }

    public String queue() {
        return queue;
    }

    protected int prefetch() {
        return prefetch;
    }
}
