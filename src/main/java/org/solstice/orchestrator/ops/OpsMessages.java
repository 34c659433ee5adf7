package org.solstice.orchestrator.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import org.solstice.orchestrator.job.AcceptedJob;
import org.solstice.orchestrator.messaging.JobRequest;

/** The {@code jobstatus.v1} and {@code joblog.v1} messages (docs/messages.md). */
public final class OpsMessages {
    public static final String STATUS_SCHEMA = "jobstatus.v1";
    public static final String LOG_SCHEMA = "joblog.v1";
    static final ObjectMapper MAPPER = new ObjectMapper();

    private OpsMessages() {
    }

    /** Where a job is: accepted, provisioning, running, finished. */
    public enum Status { ACCEPTED, PROVISIONING, RUNNING, FINISHED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** @param outcome only for {@link Status#FINISHED}: success, failure, timeout, provisioning_error, cancelled */
    public static byte[] status(AcceptedJob job, Status status, String outcome, Instant at) {
        JobRequest request = job.request();
        ObjectNode node = MAPPER.createObjectNode();
        node.put("schema_version", STATUS_SCHEMA);
        node.put("request_id", request.requestId().toString());
        node.put("status", status.wireName());
        node.put("label", job.label());
        node.put("repo_url", request.repoUrl());
        node.put("commit_sha", request.commitSha());
        if (request.repoOwner() != null) {
            node.put("repo_owner", request.repoOwner());
        }
        if (request.repoName() != null) {
            node.put("repo_name", request.repoName());
        }
        if (outcome != null) {
            node.put("outcome", outcome);
        }
        node.put("time", time(at));
        return bytes(node);
    }

    public static byte[] log(java.util.UUID requestId, long seq, String chunk, boolean eof, Instant at) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("schema_version", LOG_SCHEMA);
        node.put("request_id", requestId.toString());
        node.put("seq", seq);
        node.put("chunk", chunk);
        node.put("eof", eof);
        node.put("time", time(at));
        return bytes(node);
    }

    /** RFC 3339 UTC with milliseconds: log chunks and status changes come faster than once a second. */
    static String time(Instant at) {
        return DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
