package org.solstice.orchestrator.recovery;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.messaging.JobMessageCodec;
import org.solstice.orchestrator.messaging.JobResult;
import org.solstice.orchestrator.messaging.ResultSink;
import org.solstice.orchestrator.store.JobRecord;
import org.solstice.orchestrator.store.JobStore;
import org.solstice.orchestrator.store.StoreRetry;

/**
 * Publishes results the store holds but the broker never confirmed (it was away, or the daemon died between
 * storing and publishing). Jobs publish through {@link #sink()}, which claims the result while it is being
 * published, so this process never publishes one result from two places at once.
 */
public class OutboxRelay {
    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final JobStore store;
    private final ResultSink results;
    private final String instanceId;
    private final Set<UUID> publishing = ConcurrentHashMap.newKeySet();

    public OutboxRelay(JobStore store, ResultSink results, String instanceId) {
        this.store = store;
        this.results = results;
        this.instanceId = instanceId;
    }

    /**
     * The sink jobs publish through: a result being published by the relay is not published again (the job's
     * attempt reports false and leaves it to the relay), and a published result is marked so in the store before
     * the claim is released, so the relay never sees it unpublished after the broker confirmed it.
     */
    public ResultSink sink() {
        return new ResultSink() {
            @Override
            public void publish(JobResult result) throws InterruptedException {
                results.publish(result);
            }

            @Override
            public boolean tryPublish(JobResult result) throws InterruptedException {
                if (!publishing.add(result.requestId())) {
                    return false;
                }
                try {
                    if (!results.tryPublish(result)) {
                        return false;
                    }
                    StoreRetry.run("job " + result.requestId() + ": marking its result published",
                            () -> store.resultPublished(result.requestId()));
                    return true;
                } finally {
                    publishing.remove(result.requestId());
                }
            }
        };
    }

    /** One pass; returns how many results were published. */
    public int relay() throws InterruptedException {
        int published = 0;
        for (JobRecord job : store.unpublished(instanceId)) {
            if (!publishing.add(job.requestId())) {
                continue; // its job is publishing it right now
            }
            try {
                // re-read: the job may have published and marked it since the list was taken
                if (store.find(job.requestId()).map(JobRecord::resultPublished).orElse(true)) {
                    continue;
                }
                JobResult result = JobMessageCodec.decodeResult(job.resultJson().getBytes(StandardCharsets.UTF_8));
                if (!results.tryPublish(result)) {
                    return published; // the broker is still away: the next pass tries again
                }
                store.resultPublished(job.requestId());
                log.info("job {}: result from the outbox published", job.requestId());
                published++;
            } finally {
                publishing.remove(job.requestId());
            }
        }
        return published;
    }
}
