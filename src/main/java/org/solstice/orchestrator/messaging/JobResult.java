package org.solstice.orchestrator.messaging;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A {@code jobresult.v1}. {@code exitCode} is the job's exit status, or {@link #NO_EXIT_CODE} (-1) when the job
 * never reported one (provisioning error, timeout, cancellation): the field is an integer on the wire, always.
 */
public record JobResult(
        UUID requestId,
        String repoUrl,
        String commitSha,
        String repoOwner,
        String repoName,
        boolean success,
        int exitCode,
        String summary,
        Instant completedAt) {

    public static final String SCHEMA_VERSION = "jobresult.v1";
    public static final int NO_EXIT_CODE = -1;

    public JobResult {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(completedAt, "completedAt");
    }

    public static JobResult of(JobRequest request, boolean success, int exitCode, String summary, Instant at) {
        return new JobResult(request.requestId(), request.repoUrl(), request.commitSha(), request.repoOwner(),
                request.repoName(), success, exitCode, summary, at);
    }
}
