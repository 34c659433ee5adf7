package org.solstice.orchestrator.messaging;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A validated {@code jobrequest.v1}. Build one with {@link JobMessageCodec#decodeRequest}: every field here has
 * passed {@link JobRequestValidator}, so it is safe to put (quoted) in shell scripts, XML and file names.
 *
 * @param workflowPath  null when absent
 * @param workflowJobId null when absent
 * @param runsOn        null when absent (the image map's default label applies)
 * @param source        null when absent
 * @param repoOwner     echoed in the result when present, else null
 * @param repoName      echoed in the result when present, else null
 */
public record JobRequest(
        UUID requestId,
        JobSource source,
        String repoUrl,
        String commitSha,
        String workflowPath,
        String workflowJobId,
        String runsOn,
        Instant submittedAt,
        String repoOwner,
        String repoName) {

    public static final String SCHEMA_VERSION = "jobrequest.v1";

    public JobRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(repoUrl, "repoUrl");
        Objects.requireNonNull(commitSha, "commitSha");
        Objects.requireNonNull(submittedAt, "submittedAt");
    }
}
