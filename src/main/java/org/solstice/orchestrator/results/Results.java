package org.solstice.orchestrator.results;

import org.solstice.orchestrator.job.ResultDelivery;
import org.solstice.orchestrator.messaging.ResultSink;
import org.solstice.orchestrator.store.JobStore;

/**
 * Result delivery: every job's result is stored, then published ({@link #delivery()}); what the broker did not
 * confirm is published by {@link #relay()}, at start-up and with every housekeeping pass.
 */
public final class Results {
    private final OutboxDelivery delivery;
    private final OutboxRelay relay;

    /** @param broker publishes results with confirms (the result exchange) */
    public Results(JobStore store, ResultSink broker, String instanceId) {
        PublishingClaims claims = new PublishingClaims();
        this.delivery = new OutboxDelivery(store, broker, claims);
        this.relay = new OutboxRelay(store, broker, instanceId, claims);
    }

    /** What jobs deliver their results through. */
    public ResultDelivery delivery() {
        return delivery;
    }

    /** One relay pass over the outbox; returns how many results were published. */
    public int relay() throws InterruptedException {
        return relay.relay();
    }
}
