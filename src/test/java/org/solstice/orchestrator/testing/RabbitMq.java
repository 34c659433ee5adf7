package org.solstice.orchestrator.testing;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.solstice.orchestrator.messaging.AmqpSettings;

/**
 * The real RabbitMQ the tests talk to: AMQP_URL from the environment, else 127.0.0.1:5672 when it answers,
 * else a Testcontainers broker when Docker is there, else the test FAILS saying what to start.
 */
public final class RabbitMq {
    private static URI uri;

    private RabbitMq() {
    }

    public static synchronized URI uri() {
        if (uri != null) {
            return uri;
        }
        String env = System.getenv("AMQP_URL");
        if (env != null && !env.isBlank()) {
            uri = URI.create(env);
        } else if (answers("127.0.0.1", 5672)) {
            uri = URI.create(AmqpSettings.DEFAULT_URI);
        } else if (dockerAvailable()) {
            uri = Containers.startRabbitMq();
        } else {
            throw new AssertionError("These tests need RabbitMQ and none is reachable: set AMQP_URL, or start"
                    + " one on 127.0.0.1:5672 (Debian: apt-get install rabbitmq-server && rabbitmq-server -detached),"
                    + " or make Docker available for Testcontainers.");
        }
        return uri;
    }

    /** Settings with names unique to one test, so tests can't see each other's messages. */
    public static AmqpSettings uniqueSettings(int prefetch) {
        String suffix = ".t" + UUID.randomUUID().toString().substring(0, 8);
        return AmqpSettings.defaults(uri(), prefetch).withSuffix(suffix);
    }

    public static Connection connect() {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(uri());
            return factory.newConnection("solstice-test");
        } catch (Exception e) {
            throw new AssertionError("cannot connect to RabbitMQ at " + uri() + ": " + e, e);
        }
    }

    /** Messages ready in a queue. */
    public static long messageCount(String queue) {
        try (Connection c = connect(); Channel ch = c.createChannel()) {
            return ch.queueDeclarePassive(queue).getMessageCount();
        } catch (IOException | TimeoutException e) {
            throw new AssertionError("cannot inspect queue " + queue + ": " + e, e);
        }
    }

    /** Deletes a test's exchanges and queues. */
    /** Labels of the tests' image maps, whose per-label queues {@link #deleteTopology} removes. */
    private static final java.util.List<String> TEST_LABELS = java.util.List.of("linux", "ubuntu-22.04", "illumos",
            "illumos-latest", "openindiana-hipster", "test-guest");

    /** Deletes the test's exchanges and queues, including the per-label queues of the given and the usual labels. */
    public static void deleteTopology(AmqpSettings s, String... labels) {
        try (Connection c = connect(); Channel ch = c.createChannel()) {
            java.util.Set<String> all = new java.util.LinkedHashSet<>(TEST_LABELS);
            all.addAll(java.util.List.of(labels));
            for (String label : all) {
                ch.queueDelete(s.labelQueue(label));
            }
            ch.exchangeDelete(s.labelExchange());
            ch.queueDelete(s.jobQueue());
            ch.queueDelete(s.deadLetterQueue());
            ch.exchangeDelete(s.jobExchange());
            ch.exchangeDelete(s.deadLetterExchange());
            ch.exchangeDelete(s.resultExchange());
        } catch (IOException | TimeoutException | RuntimeException e) {
            // best effort
        }
    }

    private static boolean answers(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean dockerAvailable() {
        try {
            return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            return false;
        }
    }
}
