package org.solstice.orchestrator.images;

import java.time.Duration;

/**
 * How images are fetched. A plain value, built fluently: {@code PreparationOptions.defaults().withStallTimeout(...)}.
 *
 * @param parallelism      images prepared at once by {@link ImagePreparationService}
 * @param connectTimeout   time to open a connection
 * @param stallTimeout     an attempt is aborted when no bytes arrive for this long
 * @param maxAttempts      attempts per image before it fails permanently (resumed attempts count)
 * @param initialBackoff   wait before the second attempt; doubled for each further attempt
 * @param maxBackoff       longest wait between attempts
 * @param progressInterval how often progress is reported to listeners and logs
 */
public record PreparationOptions(
        int parallelism,
        Duration connectTimeout,
        Duration stallTimeout,
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration progressInterval) {

    public PreparationOptions {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
    }

    /** 2 images at once, 30 s to connect, 60 s without bytes is a stall, 5 attempts, 2 s backoff up to 2 min. */
    public static PreparationOptions defaults() {
        return new PreparationOptions(2, Duration.ofSeconds(30), Duration.ofSeconds(60), 5,
                Duration.ofSeconds(2), Duration.ofMinutes(2), Duration.ofSeconds(10));
    }

    public PreparationOptions withParallelism(int n) {
        return new PreparationOptions(n, connectTimeout, stallTimeout, maxAttempts, initialBackoff, maxBackoff,
                progressInterval);
    }

    public PreparationOptions withConnectTimeout(Duration d) {
        return new PreparationOptions(parallelism, d, stallTimeout, maxAttempts, initialBackoff, maxBackoff,
                progressInterval);
    }

    public PreparationOptions withStallTimeout(Duration d) {
        return new PreparationOptions(parallelism, connectTimeout, d, maxAttempts, initialBackoff, maxBackoff,
                progressInterval);
    }

    public PreparationOptions withMaxAttempts(int n) {
        return new PreparationOptions(parallelism, connectTimeout, stallTimeout, n, initialBackoff, maxBackoff,
                progressInterval);
    }

    public PreparationOptions withBackoff(Duration initial, Duration max) {
        return new PreparationOptions(parallelism, connectTimeout, stallTimeout, maxAttempts, initial, max,
                progressInterval);
    }

    public PreparationOptions withProgressInterval(Duration d) {
        return new PreparationOptions(parallelism, connectTimeout, stallTimeout, maxAttempts, initialBackoff,
                maxBackoff, d);
    }

    /** The wait before attempt {@code attempt} (2-based): initial, 2x, 4x ... capped at maxBackoff. */
    public Duration backoffBefore(int attempt) {
        long factor = 1L << Math.min(20, Math.max(0, attempt - 2));
        Duration wait = initialBackoff.multipliedBy(factor);
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
