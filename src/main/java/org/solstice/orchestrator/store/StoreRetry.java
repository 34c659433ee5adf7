package org.solstice.orchestrator.store;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Retries a store call with backoff while the database is unreachable, as long as the caller wants. */
public final class StoreRetry {
    private static final Logger log = LoggerFactory.getLogger(StoreRetry.class);

    private StoreRetry() {
    }

    /**
     * @throws StoreException when the failure is not about reachability, or when {@code keepTrying} says stop
     * @throws InterruptedException when interrupted while waiting to retry
     */
    public static <T> T call(String what, Supplier<T> call, BooleanSupplier keepTrying) throws InterruptedException {
        long backoffMs = 250;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (StoreException e) {
                if (!e.isUnavailable() || !keepTrying.getAsBoolean()) {
                    throw e;
                }
                log.warn("{}: the job store is unreachable (attempt {}): {}; retrying in {} ms", what, attempt,
                        e.getMessage(), backoffMs);
                Thread.sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 10_000);
            }
        }
    }

    /** Like {@link #call} for calls without a value, retrying until it succeeds. */
    public static void run(String what, Runnable call) {
        boolean interrupted = false;
        while (true) {
            try {
                call(what, () -> {
                    call.run();
                    return null;
                }, () -> true);
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the record must still be written: keep going, restore the flag after
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
