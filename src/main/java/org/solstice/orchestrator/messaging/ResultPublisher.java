package org.solstice.orchestrator.messaging;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes JobResults to the result exchange with confirms, retrying with backoff while the broker is away
 * (the connection recovers by itself). An unroutable result (nobody bound to the result exchange) is confirmed
 * by the broker and dropped by it: that is logged, not retried.
 */
public class ResultPublisher implements ResultSink {
    private static final Logger log = LoggerFactory.getLogger(ResultPublisher.class);

    private final ConfirmingPublisher publisher;
    private final AmqpSettings settings;
    private final Duration confirmTimeout;
    private final java.util.concurrent.atomic.AtomicLong lastUnroutableWarning = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong unroutable = new java.util.concurrent.atomic.AtomicLong();

    public ResultPublisher(ConfirmingPublisher publisher, AmqpSettings settings, Duration confirmTimeout) {
        this.publisher = publisher;
        this.settings = settings;
        this.confirmTimeout = confirmTimeout;
    }

    /** One warning a minute at most: a missing result consumer is a setup problem, not a per-job one. */
    private void warnUnroutable(JobResult result) {
        long count = unroutable.incrementAndGet();
        long now = System.nanoTime();
        long last = lastUnroutableWarning.get();
        if ((last == 0 || now - last > 60_000_000_000L) && lastUnroutableWarning.compareAndSet(last, now)) {
            log.warn("job {}: result published but no queue is bound to exchange '{}' with key '{}', so nobody"
                    + " received it ({} such results so far; this warning repeats at most once a minute)",
                    result.requestId(), settings.resultExchange(), settings.resultRoutingKey(), count);
        } else {
            log.debug("job {}: result unroutable", result.requestId());
        }
    }

    @Override
    public void publish(JobResult result) throws InterruptedException {
        attempt(result, Integer.MAX_VALUE);
    }

    /** Three attempts (about half a minute at most with the default confirm timeout), then false. */
    @Override
    public boolean tryPublish(JobResult result) throws InterruptedException {
        return attempt(result, 3);
    }

    private boolean attempt(JobResult result, int maxAttempts) throws InterruptedException {
        byte[] body = JobMessageCodec.encodeResult(result);
        long backoffMs = 500;
        for (int attempt = 1; ; attempt++) {
            try {
                ConfirmingPublisher.Outcome outcome = publisher.publish(settings.resultExchange(),
                        settings.resultRoutingKey(), result.requestId().toString(), JobResult.SCHEMA_VERSION, body)
                        .get(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS);
                if (outcome == ConfirmingPublisher.Outcome.UNROUTABLE) {
                    warnUnroutable(result);
                } else {
                    log.debug("job {}: result confirmed by the broker", result.requestId());
                }
                return true;
            } catch (ExecutionException | TimeoutException e) {
                String why = e instanceof TimeoutException ? "no confirm within " + confirmTimeout.toSeconds() + " s"
                        : BrokerConnector.rootMessage(e.getCause());
                if (attempt >= maxAttempts) {
                    log.warn("job {}: cannot publish result (attempt {}): {}; giving up for now", result.requestId(),
                            attempt, why);
                    return false;
                }
                log.warn("job {}: cannot publish result (attempt {}): {}; retrying in {} ms", result.requestId(),
                        attempt, why, backoffMs);
                Thread.sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 15_000);
            }
        }
    }
}
