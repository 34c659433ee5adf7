package org.solstice.orchestrator.acceptance;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.solstice.orchestrator.job.AcceptedJob;
import org.solstice.orchestrator.store.JobRecord;
import org.solstice.orchestrator.store.JobState;
import org.solstice.orchestrator.store.JobStore;
import org.solstice.orchestrator.store.StoreException;
import org.solstice.orchestrator.store.StoreRetry;

/**
 * The job store's side of accepting a job: the record written before the delivery is acknowledged, the retries
 * while the store is unreachable, and telling a duplicate from an insert whose reply was lost.
 */
final class AcceptanceRecords {
    private final JobStore store;
    private final String instanceId;
    private final BooleanSupplier accepting;
    private final Predicate<UUID> handledHere;

    /**
     * @param accepting   false once the daemon is shutting down (retries stop)
     * @param handledHere whether a job is already being handled by this daemon
     */
    AcceptanceRecords(JobStore store, String instanceId, BooleanSupplier accepting, Predicate<UUID> handledHere) {
        this.store = store;
        this.instanceId = instanceId;
        this.accepting = accepting;
        this.handledHere = handledHere;
    }

    /** Inserts the job, group-committed with others; true when it is new to the store, false for a known one. */
    CompletableFuture<Boolean> insert(AcceptedJob job) {
        return store.acceptAsync(record(job));
    }

    /**
     * The first insert failed with {@code error}: retries (blocking the calling thread) while the store is
     * unreachable and the daemon is accepting.
     *
     * @return as {@link #insert}, or null when the store stayed unreachable until shutdown
     * @throws RuntimeException when the store refused the job for another reason
     */
    Boolean insertAfter(AcceptedJob job, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (!(cause instanceof StoreException se) || !se.isUnavailable()) {
            throw cause instanceof RuntimeException re ? re : new StoreException(cause.toString(), cause, false);
        }
        try {
            return StoreRetry.call("job " + job.id() + ": storing it", () -> store.accept(record(job)), accepting);
        } catch (StoreException e) {
            if (e.isUnavailable()) {
                return null;
            }
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * An insert whose reply was lost (the connection dropped after the commit) looks like a duplicate on retry;
     * the job is ours to run when the store has it as this instance's, not started, and nothing here runs it.
     */
    boolean committedByAnEarlierAttempt(AcceptedJob job) {
        if (handledHere.test(job.id())) {
            return false;
        }
        return store.find(job.id()).map(r -> r.instanceId().equals(instanceId) && r.state() == JobState.ACCEPTED
                && r.attempts() == 0 && Arrays.equals(r.requestJson().getBytes(StandardCharsets.UTF_8), job.body()))
                .orElse(false);
    }

    /** Removes a stored job that will not run here after all (handed back at shutdown). */
    void forget(AcceptedJob job) {
        StoreRetry.run("job " + job.id() + ": handing it back", () -> store.forget(job.id()));
    }

    private JobRecord record(AcceptedJob job) {
        return new JobRecord(job.id(), instanceId, job.label(), job.image().name(),
                new String(job.body(), StandardCharsets.UTF_8), JobState.ACCEPTED, 0, Instant.now(), null, null, null,
                null, false);
    }
}
