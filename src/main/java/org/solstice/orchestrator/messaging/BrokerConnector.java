package org.solstice.orchestrator.messaging;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.SocketConfigurators;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.OrchestratorException;

/**
 * Opens the connection to RabbitMQ: automatic recovery on (connection, channels and consumers come back after a
 * broker restart or a network cut), and a first connection that fails is retried with backoff and one clear log
 * line per attempt rather than a stack trace. {@code amqps://} URLs get TLS with hostname verification and the
 * trust and client certificate of a {@link BrokerSecurity}, whose credentials override the URL's.
 */
public class BrokerConnector {
    private static final Logger log = LoggerFactory.getLogger(BrokerConnector.class);

    private static final java.util.concurrent.ExecutorService CONSUMER_THREADS =
            java.util.concurrent.Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "amqp-consumer");
                t.setDaemon(true);
                return t;
            });

    private final AmqpSettings settings;
    private final BrokerSecurity security;
    private final SSLContext tls;
    private final String connectionName;
    private final AtomicLong recoveries = new AtomicLong();

    /** No TLS options, credentials from the URL. */
    public BrokerConnector(AmqpSettings settings, String connectionName) {
        this(settings, BrokerSecurity.none(), connectionName);
    }

    /**
     * @throws IllegalArgumentException when TLS options come with a plain amqp:// URL
     * @throws OrchestratorException    when the CA file or client keystore cannot be used (one line naming it)
     */
    public BrokerConnector(AmqpSettings settings, BrokerSecurity security, String connectionName) {
        this.settings = settings;
        this.security = security;
        this.connectionName = connectionName;
        security.checkAgainst(settings.uri());
        this.tls = BrokerSecurity.isTls(settings.uri()) ? BrokerTls.context(security) : null;
    }

    ConnectionFactory factory() {
        ConnectionFactory factory = new ConnectionFactory();
        if (tls != null) {
            // before setUri, which would otherwise install the client library's trust-everything manager
            factory.useSslProtocol(tls);
            factory.setSocketConfigurator(SocketConfigurators.defaultConfigurator()
                    .andThen(BrokerTls::limitProtocols));
            factory.enableHostnameVerification();
        }
        try {
            factory.setUri(settings.uri());
        } catch (Exception e) {
            throw new OrchestratorException("AMQP_URL " + settings.redactedUri() + " is not a valid AMQP URI: "
                    + security.scrub(e.getMessage(), settings.uri()), e);
        }
        if (security.username() != null) {
            factory.setUsername(security.username());
        }
        if (security.password() != null) {
            factory.setPassword(security.password());
        }
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(2000);
        factory.setRequestedHeartbeat(30);
        factory.setConnectionTimeout(10_000);
        // one thread per busy channel: a label consumer waiting for a backlog slot must not hold up the others
        factory.setSharedExecutor(CONSUMER_THREADS);
        return factory;
    }

    /** One attempt. */
    public Connection connect() throws IOException, TimeoutException {
        Connection connection = factory().newConnection(connectionName);
        if (connection instanceof Recoverable recoverable) {
            recoverable.addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecovery(Recoverable r) {
                    recoveries.incrementAndGet();
                    log.info("reconnected to RabbitMQ at {}", settings.redactedUri());
                }

                @Override
                public void handleRecoveryStarted(Recoverable r) {
                    log.warn("lost the connection to RabbitMQ at {}; recovering", settings.redactedUri());
                }
            });
        }
        return connection;
    }

    /**
     * Connects, retrying with exponential backoff (1 s doubling to {@code maxBackoff}) while {@code keepTrying}
     * says so.
     *
     * @throws OrchestratorException when {@code keepTrying} turns false before a connection is made
     */
    public Connection connectWithRetry(Duration maxBackoff, BooleanSupplier keepTrying) throws InterruptedException {
        long backoffMs = 1000;
        int attempt = 1;
        while (true) {
            try {
                Connection connection = connect();
                log.info("connected to RabbitMQ at {}", settings.redactedUri());
                return connection;
            } catch (IOException | TimeoutException e) {
                String why = describe(e);
                if (!keepTrying.getAsBoolean()) {
                    throw new OrchestratorException("cannot reach RabbitMQ at " + settings.redactedUri() + ": " + why, e);
                }
                log.warn("cannot reach RabbitMQ at {} (attempt {}): {}; retrying in {} s", settings.redactedUri(),
                        attempt, why, backoffMs / 1000);
                Thread.sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, maxBackoff.toMillis());
                attempt++;
            }
        }
    }

    /** How many times the connection was recovered after a loss. */
    public long recoveries() {
        return recoveries.get();
    }

    /**
     * Why a connection attempt failed, in one line without secrets; TLS failures say what to check (trust,
     * host name, client certificate).
     */
    public String describe(Throwable e) {
        return security.scrub(ConnectFailure.describe(e, settings.uri().getHost(), tls != null), settings.uri());
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
