package org.solstice.orchestrator.testing;

import java.time.Instant;
import java.util.UUID;
import org.solstice.orchestrator.messaging.JobRequest;
import org.solstice.orchestrator.messaging.JobSource;

/** Test-data builder: {@code aJob().runsOn("ubuntu").build()}. */
public final class JobRequests {
    private UUID id = UUID.randomUUID();
    private String repoUrl = "https://code.example.org/acme/widgets.git";
    private String commitSha = "9f2c1e0b7d4a3c5e8f6a1b2c3d4e5f6a7b8c9d0e";
    private String runsOn;
    private String workflowPath = ".solstice/workflow.kdl";
    private String workflowJobId = "build";

    private JobRequests() {
    }

    public static JobRequests aJob() {
        return new JobRequests();
    }

    public JobRequests id(UUID value) {
        id = value;
        return this;
    }

    public JobRequests runsOn(String value) {
        runsOn = value;
        return this;
    }

    public JobRequests repoUrl(String value) {
        repoUrl = value;
        return this;
    }

    public JobRequests commitSha(String value) {
        commitSha = value;
        return this;
    }

    public JobRequests workflowJobId(String value) {
        workflowJobId = value;
        return this;
    }

    public JobRequest build() {
        return new JobRequest(id, JobSource.MANUAL, repoUrl, commitSha, workflowPath, workflowJobId, runsOn,
                Instant.now(), null, null);
    }
}
