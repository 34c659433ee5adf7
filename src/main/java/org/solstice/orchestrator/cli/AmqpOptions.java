package org.solstice.orchestrator.cli;

import java.net.URI;
import org.solstice.orchestrator.messaging.AmqpSettings;
import picocli.CommandLine.Option;

/** Broker address and topology names (WIRE.md defaults), each also read from the environment. */
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

    public AmqpSettings toSettings(int prefetch) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("--amqp-url / AMQP_URL is not a valid URL: " + e.getMessage());
        }
        return new AmqpSettings(uri, exchange, routingKey, queue, deadLetterExchange, deadLetterQueue,
                resultExchange, resultRoutingKey, prefetch, labelExchange, AmqpSettings.QueueType.CLASSIC,
                AmqpSettings.DEFAULT_DELIVERY_LIMIT);
    }
}
