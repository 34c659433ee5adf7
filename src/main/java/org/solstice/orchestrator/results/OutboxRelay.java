package org.solstice.orchestrator.results;

import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.messaging.JobMessageCodec;
import org.solstice.orchestrator.messaging.JobResult;
import org.solstice.orchestrator.messaging.ResultSink;
import org.solstice.orchestrator.store.JobRecord;
import org.solstice.orchestrator.store.JobStore;

/**
 * Publishes results the store holds but the broker never confirmed (it was away, or the daemon died between
 * storing and publishing), and marks them published. Skips a result its job is publishing right now.
 */
final class OutboxRelay {
    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final JobStore store;
    private final ResultSink broker;
    private final String instanceId;
    private final PublishingClaims claims;

    OutboxRelay(JobStore store, ResultSink broker, String instanceId, PublishingClaims claims) {
        this.store = store;
        this.broker = broker;
        this.instanceId = instanceId;
        this.claims = claims;
    }

    /** One pass; returns how many results were published. */
    int relay() throws InterruptedException {
        int published = 0;
        for (JobRecord job : store.unpublished(instanceId)) {
            if (!claims.claim(job.requestId())) {
                continue; // its job is publishing it right now
            }
            try {
                // re-read: the job may have published and marked it since the list was taken
                if (store.find(job.requestId()).map(JobRecord::resultPublished).orElse(true)) {
                    continue;
                }
                JobResult result = JobMessageCodec.decodeResult(job.resultJson().getBytes(StandardCharsets.UTF_8));
                if (!broker.tryPublish(result)) {
                    return published; // the broker is still away: the next pass tries again
                }
                store.resultPublished(job.requestId());
                log.info("job {}: result from the outbox published", job.requestId());
                published++;
            } finally {
                claims.release(job.requestId());
            }
        }
        return published;
    }
}
