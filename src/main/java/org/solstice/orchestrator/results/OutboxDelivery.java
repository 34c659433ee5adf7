package org.solstice.orchestrator.results;

import java.nio.charset.StandardCharsets;
import org.solstice.orchestrator.job.AcceptedJob;
import org.solstice.orchestrator.job.JobOutcome;
import org.solstice.orchestrator.job.ResultDelivery;
import org.solstice.orchestrator.messaging.JobMessageCodec;
import org.solstice.orchestrator.messaging.JobResult;
import org.solstice.orchestrator.messaging.ResultSink;
import org.solstice.orchestrator.store.JobStore;
import org.solstice.orchestrator.store.StoreRetry;

/**
 * Delivers a job's result the outbox way: stores it (retrying while the database is away), then publishes it
 * with a bounded number of attempts. A result being published by the relay is not published again (the job's
 * attempt reports false and leaves it to the relay), and a published result is marked so in the store before the
 * claim is released, so the relay never sees it unpublished after the broker confirmed it.
 */
final class OutboxDelivery implements ResultDelivery {
    private final JobStore store;
    private final ResultSink broker;
    private final PublishingClaims claims;

    OutboxDelivery(JobStore store, ResultSink broker, PublishingClaims claims) {
        this.store = store;
        this.broker = broker;
        this.claims = claims;
    }

    @Override
    public boolean deliver(AcceptedJob job, JobOutcome outcome, JobResult result) throws InterruptedException {
        String json = new String(JobMessageCodec.encodeResult(result), StandardCharsets.UTF_8);
        StoreRetry.run("job " + job.id() + ": storing its result", () -> store.finish(job.id(), outcome.name(), json));
        if (!claims.claim(result.requestId())) {
            return false;
        }
        try {
            if (!broker.tryPublish(result)) {
                return false;
            }
            StoreRetry.run("job " + result.requestId() + ": marking its result published",
                    () -> store.resultPublished(result.requestId()));
            return true;
        } finally {
            claims.release(result.requestId());
        }
    }
}
