package org.solstice.orchestrator.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.function.Function;
import org.solstice.orchestrator.messaging.AmqpSettings;
import org.solstice.orchestrator.messaging.BrokerSecurity;
import org.solstice.orchestrator.messaging.SecretFile;
import picocli.CommandLine.Option;

/**
 * Broker address, topology names (WIRE.md defaults), TLS options and credentials, each also read from the
 * environment. Passwords come from files or the environment, never from an option's value, so they stay out of
 * {@code ps} and unit files.
 */
public class AmqpOptions {
    @Option(names = "--amqp-url", paramLabel = "URL", defaultValue = "${env:AMQP_URL:-" + AmqpSettings.DEFAULT_URI + "}",
            description = "RabbitMQ URL (env AMQP_URL; default: ${DEFAULT-VALUE}).", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER)
    String url;

    @Option(names = "--amqp-exchange", paramLabel = "NAME", defaultValue = "${env:AMQP_EXCHANGE:-solstice.jobs}",
            description = "Job exchange, direct (env AMQP_EXCHANGE; default: ${DEFAULT-VALUE}).")
    String exchange;

    @Option(names = "--amqp-queue", paramLabel = "NAME", defaultValue = "${env:AMQP_QUEUE:-solstice.jobs.v1}",
            description = "Job queue (env AMQP_QUEUE; default: ${DEFAULT-VALUE}).")
    String queue;

    @Option(names = "--amqp-routing-key", paramLabel = "KEY", defaultValue = "${env:AMQP_ROUTING_KEY:-jobrequest.v1}",
            description = "Job routing key (env AMQP_ROUTING_KEY; default: ${DEFAULT-VALUE}).")
    String routingKey;

    @Option(names = "--amqp-dlx", paramLabel = "NAME", defaultValue = "${env:AMQP_DLX:-solstice.dlx}",
            description = "Dead-letter exchange, fanout (env AMQP_DLX; default: ${DEFAULT-VALUE}).")
    String deadLetterExchange;

    @Option(names = "--amqp-dlq", paramLabel = "NAME", defaultValue = "${env:AMQP_DLQ:-solstice.jobs.v1.dlq}",
            description = "Dead-letter queue (env AMQP_DLQ; default: ${DEFAULT-VALUE}).")
    String deadLetterQueue;

    @Option(names = "--amqp-result-exchange", paramLabel = "NAME",
            defaultValue = "${env:AMQP_RESULT_EXCHANGE:-solstice.results}",
            description = "Result exchange, topic (env AMQP_RESULT_EXCHANGE; default: ${DEFAULT-VALUE}).")
    String resultExchange;

    @Option(names = "--amqp-result-routing-key", paramLabel = "KEY",
            defaultValue = "${env:AMQP_RESULT_ROUTING_KEY:-jobresult.v1}",
            description = "Result routing key (env AMQP_RESULT_ROUTING_KEY; default: ${DEFAULT-VALUE}).")
    String resultRoutingKey;

    @Option(names = "--amqp-label-exchange", paramLabel = "NAME",
            defaultValue = "${env:AMQP_LABEL_EXCHANGE:-" + AmqpSettings.DEFAULT_LABEL_EXCHANGE + "}",
            description = "Direct exchange of the per-label job queues, fed by the routers (env AMQP_LABEL_EXCHANGE;"
                    + " default: ${DEFAULT-VALUE}).")
    String labelExchange;

    @Option(names = "--amqp-username", paramLabel = "NAME", defaultValue = "${env:AMQP_USERNAME}",
            description = "Broker user; overrides the URL's (env AMQP_USERNAME).")
    String username;

    @Option(names = "--amqp-password-file", paramLabel = "FILE", defaultValue = "${env:AMQP_PASSWORD_FILE}",
            description = "File holding the broker password; overrides AMQP_PASSWORD and the URL's"
                    + " (env AMQP_PASSWORD_FILE). Without it, the environment variable AMQP_PASSWORD is used.")
    Path passwordFile;

    @Option(names = "--amqp-ca-file", paramLabel = "FILE", defaultValue = "${env:AMQP_CA_FILE}",
            description = "amqps: PEM file of the CA certificates the broker's must chain to (env AMQP_CA_FILE;"
                    + " default: the JVM's trust store).")
    Path caFile;

    @Option(names = "--amqp-client-keystore", paramLabel = "FILE", defaultValue = "${env:AMQP_CLIENT_KEYSTORE}",
            description = "amqps: PKCS#12 file with a client certificate and key for mutual TLS"
                    + " (env AMQP_CLIENT_KEYSTORE).")
    Path clientKeystore;

    @Option(names = "--amqp-client-keystore-password-file", paramLabel = "FILE",
            defaultValue = "${env:AMQP_CLIENT_KEYSTORE_PASSWORD_FILE}",
            description = "File holding the client keystore's password (env AMQP_CLIENT_KEYSTORE_PASSWORD_FILE)."
                    + " Without it, the environment variable AMQP_CLIENT_KEYSTORE_PASSWORD is used.")
    Path clientKeystorePasswordFile;

    /** Environment lookups for the secrets that have no option (tests replace it). */
    Function<String, String> environment = System::getenv;

    /**
     * TLS options and credentials. Password precedence: --amqp-password-file, then AMQP_PASSWORD, then the URL;
     * the user name: --amqp-username, then the URL.
     */
    public BrokerSecurity toSecurity() {
        if (clientKeystore == null && clientKeystorePasswordFile != null) {
            throw new IllegalArgumentException("--amqp-client-keystore-password-file / AMQP_CLIENT_KEYSTORE_PASSWORD_FILE"
                    + " given without --amqp-client-keystore / AMQP_CLIENT_KEYSTORE");
        }
        String password = passwordFile != null ? SecretFile.read(passwordFile, "--amqp-password-file")
                : blankToNull(environment.apply("AMQP_PASSWORD"));
        String keystorePassword = clientKeystorePasswordFile != null
                ? SecretFile.read(clientKeystorePasswordFile, "--amqp-client-keystore-password-file")
                : blankToNull(environment.apply("AMQP_CLIENT_KEYSTORE_PASSWORD"));
        return new BrokerSecurity(caFile, clientKeystore, keystorePassword, blankToNull(username), password);
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    public AmqpSettings toSettings(int prefetch) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            // not e.getMessage(): it repeats the whole URL, password included
            throw new IllegalArgumentException("--amqp-url / AMQP_URL is not a valid URL: " + e.getReason()
                    + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
        }
        return new AmqpSettings(uri, exchange, routingKey, queue, deadLetterExchange, deadLetterQueue,
                resultExchange, resultRoutingKey, prefetch, labelExchange, AmqpSettings.QueueType.CLASSIC,
                AmqpSettings.DEFAULT_DELIVERY_LIMIT);
    }
}
