package org.solstice.orchestrator.recovery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.messaging.JobMessageCodec;
import org.solstice.orchestrator.messaging.JobResult;
import org.solstice.orchestrator.messaging.ResultSink;
import org.solstice.orchestrator.store.JobRecord;
import org.solstice.orchestrator.store.JobStore;

/**
 * Publishes results the store holds but the broker never confirmed (it was away, or the daemon died between
 * storing and publishing). A result younger than {@code minAge} is left to the job that is still publishing it,
 * so one process never publishes one result twice.
 */
public class OutboxRelay {
    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final JobStore store;
    private final ResultSink results;
    private final String instanceId;
    private final Duration minAge;

    public OutboxRelay(JobStore store, ResultSink results, String instanceId, Duration minAge) {
        this.store = store;
        this.results = results;
        this.instanceId = instanceId;
        this.minAge = minAge;
    }

    /** One pass; returns how many results were published. */
    public int relay() throws InterruptedException {
        int published = 0;
        Instant cutoff = Instant.now().minus(minAge);
        for (JobRecord job : store.unpublished(instanceId)) {
            if (job.finishedAt() != null && job.finishedAt().isAfter(cutoff)) {
                continue;
            }
            JobResult result = JobMessageCodec.decodeResult(job.resultJson().getBytes(StandardCharsets.UTF_8));
            if (!results.tryPublish(result)) {
                return published; // the broker is still away: the next pass tries again
            }
            store.resultPublished(job.requestId());
            log.info("job {}: result from the outbox published", job.requestId());
            published++;
        }
        return published;
    }
}
