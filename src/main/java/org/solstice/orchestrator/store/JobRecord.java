package org.solstice.orchestrator.store;

import java.time.Instant;
import java.util.UUID;

/** A stored job. Times are null until they happen; {@code resultJson} is null until the job finished. */
public record JobRecord(
        UUID requestId,
        String instanceId,
        String label,
        String image,
        String requestJson,
        JobState state,
        int attempts,
        Instant acceptedAt,
        Instant startedAt,
        Instant finishedAt,
        String outcome,
        String resultJson,
        boolean resultPublished) {
}
