package org.solstice.orchestrator.messaging;

import java.net.URI;
import java.util.Objects;

/**
 * Broker address and the topology names of WIRE.md (every one overridable).
 *
 * @param prefetch the consumer's prefetch (unacknowledged deliveries in flight)
 */
public record AmqpSettings(
        URI uri,
        String jobExchange,
        String jobRoutingKey,
        String jobQueue,
        String deadLetterExchange,
        String deadLetterQueue,
        String resultExchange,
        String resultRoutingKey,
        int prefetch) {

    public static final String DEFAULT_URI = "amqp://guest:guest@127.0.0.1:5672/%2f";

    public AmqpSettings {
        Objects.requireNonNull(uri, "uri");
        if (prefetch < 1 || prefetch > 65535) {
            throw new IllegalArgumentException("prefetch must be between 1 and 65535, was " + prefetch);
        }
    }

    public static AmqpSettings defaults(URI uri, int prefetch) {
        return new AmqpSettings(uri, "solstice.jobs", "jobrequest.v1", "solstice.jobs.v1", "solstice.dlx",
                "solstice.jobs.v1.dlq", "solstice.results", "jobresult.v1", prefetch);
    }

    /** The same settings with every name given a suffix: tests use it so they can't see each other's messages. */
    public AmqpSettings withSuffix(String suffix) {
        return new AmqpSettings(uri, jobExchange + suffix, jobRoutingKey, jobQueue + suffix,
                deadLetterExchange + suffix, deadLetterQueue + suffix, resultExchange + suffix, resultRoutingKey,
                prefetch);
    }

    public AmqpSettings withUri(URI newUri) {
        return new AmqpSettings(newUri, jobExchange, jobRoutingKey, jobQueue, deadLetterExchange, deadLetterQueue,
                resultExchange, resultRoutingKey, prefetch);
    }

    public AmqpSettings withPrefetch(int newPrefetch) {
        return new AmqpSettings(uri, jobExchange, jobRoutingKey, jobQueue, deadLetterExchange, deadLetterQueue,
                resultExchange, resultRoutingKey, newPrefetch);
    }

    /** The broker URI with the password hidden, for logs and errors. */
    public String redactedUri() {
        return redact(uri);
    }

    public static String redact(URI uri) {
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null) {
            return uri.toString();
        }
        int colon = userInfo.indexOf(':');
        String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
        return uri.toString().replace(userInfo + "@", user + ":***@");
    }
}
