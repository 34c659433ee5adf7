package org.solstice.orchestrator.daemon;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.messaging.BrokerConnector;
import org.solstice.orchestrator.messaging.ConfirmingPublisher;

/** The broker connection (waiting for the broker while the daemon is starting) and its confirming publisher. */
final class BrokerPart implements Part {
    private static final Logger log = LoggerFactory.getLogger(BrokerPart.class);

    private final DaemonConfig config;
    private final BooleanSupplier keepTrying;
    private volatile BrokerConnector connector;
    private volatile Connection connection;
    private volatile ConfirmingPublisher publisher;

    BrokerPart(DaemonConfig config, BooleanSupplier keepTrying) {
        this.config = config;
        this.keepTrying = keepTrying;
    }

    @Override
    public void start() throws IOException, InterruptedException {
        // TLS options and credentials are checked here: a bad one stops the start with one line naming it
        connector = new BrokerConnector(config.amqp(), config.brokerSecurity(),
                "solstice-orchestrator@" + config.instanceId());
        connection = connector.connectWithRetry(Duration.ofSeconds(30), keepTrying);
        publisher = new ConfirmingPublisher(connection);
    }

    @Override
    public void stop() {
        if (publisher != null) {
            publisher.close();
        }
        if (connection != null) {
            try {
                connection.close(5000);
            } catch (IOException | RuntimeException e) {
                log.debug("closing the broker connection: {}", e.getMessage());
            }
        }
    }

    Connection connection() {
        return connection;
    }

    /** Mandatory, persistent, with confirms. */
    ConfirmingPublisher publisher() {
        return publisher;
    }

    boolean isConnected() {
        Connection c = connection;
        return c != null && c.isOpen();
    }

    long reconnects() {
        BrokerConnector c = connector;
        return c == null ? 0 : c.recoveries();
    }
}
