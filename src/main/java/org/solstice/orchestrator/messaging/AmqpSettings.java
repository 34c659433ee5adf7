package org.solstice.orchestrator.messaging;

import java.net.URI;
import java.util.Objects;

/**
 * Broker address and the topology names of WIRE.md (every one overridable), plus this project's label routing:
 * the routers move each request from the job queue to a per-label queue on {@code labelExchange} (see
 * docs/architecture.md, "Scale-out").
 *
 * @param prefetch      the consumer's prefetch (unacknowledged deliveries in flight)
 * @param labelExchange direct exchange the per-label queues are bound to, with the label as routing key
 * @param queueType     the per-label queues' type
 * @param deliveryLimit quorum queues only: deliveries of one message before the broker dead-letters it
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
        int prefetch,
        String labelExchange,
        QueueType queueType,
        int deliveryLimit) {

    public static final String DEFAULT_URI = "amqp://guest:guest@127.0.0.1:5672/%2f";
    public static final String DEFAULT_LABEL_EXCHANGE = "solstice.jobs.labels";
    public static final int DEFAULT_DELIVERY_LIMIT = 5;

    /** The per-label queues' type: classic (default) or quorum (replicated, with a delivery limit). */
    public enum QueueType {
        CLASSIC, QUORUM;

        public static QueueType parse(String text) {
            for (QueueType t : values()) {
                if (t.name().equalsIgnoreCase(text.trim())) {
                    return t;
                }
            }
            throw new IllegalArgumentException("queue type must be classic or quorum, was '" + text + "'");
        }
    }

    public AmqpSettings {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(labelExchange, "labelExchange");
        Objects.requireNonNull(queueType, "queueType");
        if (prefetch < 1 || prefetch > 65535) {
            throw new IllegalArgumentException("prefetch must be between 1 and 65535, was " + prefetch);
        }
        if (deliveryLimit < 1) {
            throw new IllegalArgumentException("the delivery limit must be at least 1, was " + deliveryLimit);
        }
    }

    /** WIRE.md's names with the default label routing (classic per-label queues). */
    public AmqpSettings(URI uri, String jobExchange, String jobRoutingKey, String jobQueue, String deadLetterExchange,
                        String deadLetterQueue, String resultExchange, String resultRoutingKey, int prefetch) {
        this(uri, jobExchange, jobRoutingKey, jobQueue, deadLetterExchange, deadLetterQueue, resultExchange,
                resultRoutingKey, prefetch, DEFAULT_LABEL_EXCHANGE, QueueType.CLASSIC, DEFAULT_DELIVERY_LIMIT);
    }

    public static AmqpSettings defaults(URI uri, int prefetch) {
        return new AmqpSettings(uri, "solstice.jobs", "jobrequest.v1", "solstice.jobs.v1", "solstice.dlx",
                "solstice.jobs.v1.dlq", "solstice.results", "jobresult.v1", prefetch);
    }

    /** The same settings with every name given a suffix: tests use it so they can't see each other's messages. */
    public AmqpSettings withSuffix(String suffix) {
        return new AmqpSettings(uri, jobExchange + suffix, jobRoutingKey, jobQueue + suffix,
                deadLetterExchange + suffix, deadLetterQueue + suffix, resultExchange + suffix, resultRoutingKey,
                prefetch, labelExchange + suffix, queueType, deliveryLimit);
    }

    public AmqpSettings withUri(URI newUri) {
        return new AmqpSettings(newUri, jobExchange, jobRoutingKey, jobQueue, deadLetterExchange, deadLetterQueue,
                resultExchange, resultRoutingKey, prefetch, labelExchange, queueType, deliveryLimit);
    }

    public AmqpSettings withPrefetch(int newPrefetch) {
        return new AmqpSettings(uri, jobExchange, jobRoutingKey, jobQueue, deadLetterExchange, deadLetterQueue,
                resultExchange, resultRoutingKey, newPrefetch, labelExchange, queueType, deliveryLimit);
    }

    public AmqpSettings withQueueType(QueueType type, int limit) {
        return new AmqpSettings(uri, jobExchange, jobRoutingKey, jobQueue, deadLetterExchange, deadLetterQueue,
                resultExchange, resultRoutingKey, prefetch, labelExchange, type, limit);
    }

    /** The queue holding the requests for one label: {@code <job queue>.label.<label>}. */
    public String labelQueue(String label) {
        return jobQueue + ".label." + label;
    }

    /** Like the record's own, but with the password hidden: these settings end up in logs and assertion messages. */
    @Override
    public String toString() {
        return "AmqpSettings[uri=" + redactedUri() + ", jobExchange=" + jobExchange + ", jobQueue=" + jobQueue
                + ", labelExchange=" + labelExchange + ", queueType=" + queueType + ", prefetch=" + prefetch + "]";
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
