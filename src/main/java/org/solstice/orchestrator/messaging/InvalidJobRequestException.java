package org.solstice.orchestrator.messaging;

import java.util.Optional;
import java.util.UUID;
import org.solstice.orchestrator.OrchestratorException;

/**
 * A message that cannot be a job. Carries whatever identity could still be read from it, so a failed
 * JobResult can tell the publisher why.
 */
public class InvalidJobRequestException extends OrchestratorException {
    private final UUID requestId;
    private final String repoUrl;
    private final String commitSha;
    private final String repoOwner;
    private final String repoName;

    public InvalidJobRequestException(String reason, UUID requestId, String repoUrl, String commitSha,
                                      String repoOwner, String repoName) {
        super(reason);
        this.requestId = requestId;
        this.repoUrl = repoUrl;
        this.commitSha = commitSha;
        this.repoOwner = repoOwner;
        this.repoName = repoName;
    }

    public InvalidJobRequestException(String reason) {
        this(reason, null, null, null, null, null);
    }

    public Optional<UUID> requestId() {
        return Optional.ofNullable(requestId);
    }

    /** The failed result to publish, when the message named a readable request_id. */
    public Optional<JobResult> failedResult(java.time.Instant at) {
        return requestId().map(id -> new JobResult(id, repoUrl == null ? "" : repoUrl,
                commitSha == null ? "" : commitSha, repoOwner, repoName, false, JobResult.NO_EXIT_CODE,
                "job rejected: " + getMessage(), at));
    }
}
