package org.solstice.orchestrator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.solstice.orchestrator.messaging.AmqpSettings;

/**
 * Collects jobstatus.v1 and joblog.v1 events from the result exchange, in arrival order, on one queue (so the
 * order between the two kinds is the order they were published in).
 */
public final class EventWatcher implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One event: its routing key and body. */
    public record Event(String routingKey, JsonNode body, long receivedAtNanos) {
        public String requestId() {
            return body.path("request_id").asText();
        }
    }

    private final Connection connection;
    private final List<Event> events = new ArrayList<>();

    public EventWatcher(AmqpSettings settings) throws IOException {
        connection = RabbitMq.connect();
        Channel ch = connection.createChannel();
        ch.exchangeDeclare(settings.resultExchange(), "topic", true);
        String queue = ch.queueDeclare("", false, true, true, null).getQueue();
        ch.queueBind(queue, settings.resultExchange(), "jobstatus.v1");
        ch.queueBind(queue, settings.resultExchange(), "joblog.v1");
        ch.queueBind(queue, settings.resultExchange(), settings.resultRoutingKey());
        ch.basicConsume(queue, true, new DefaultConsumer(ch) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                    throws IOException {
                Event e = new Event(envelope.getRoutingKey(), MAPPER.readTree(body), System.nanoTime());
                synchronized (events) {
                    events.add(e);
                    events.notifyAll();
                }
            }
        });
    }

    /** Events of one job, optionally of one routing key, in arrival order. */
    public List<Event> of(UUID id, String routingKey) {
        synchronized (events) {
            return events.stream().filter(e -> e.requestId().equals(id.toString()))
                    .filter(e -> routingKey == null || e.routingKey().equals(routingKey)).toList();
        }
    }

    /** Waits until an event matches ({@code what} says which; a timeout lists the events that did arrive). */
    public Event await(String what, Predicate<Event> matching, Duration timeout) {
        Awaitility.await("an event: " + what).atMost(timeout).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(snapshot()).as("events so far").anyMatch(matching));
        return first(matching).orElseThrow();
    }

    /** Waits until an event matches. */
    public Event await(Predicate<Event> matching, Duration timeout) {
        return await("a matching one", matching, timeout);
    }

    private Optional<Event> first(Predicate<Event> matching) {
        return snapshot().stream().filter(matching).findFirst();
    }

    private List<Event> snapshot() {
        synchronized (events) {
            return new ArrayList<>(events);
        }
    }

    @Override
    public void close() {
        try {
            connection.close(5000);
        } catch (IOException | RuntimeException e) {
            // closing anyway
        }
    }
}
