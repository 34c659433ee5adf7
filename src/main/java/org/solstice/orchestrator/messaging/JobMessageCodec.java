package org.solstice.orchestrator.messaging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;

/** JSON encoding and decoding of the wire messages in WIRE.md. Unknown fields are ignored, never rejected. */
public final class JobMessageCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private JobMessageCodec() {
    }

    /**
     * Parses and validates a JobRequest.
     *
     * @throws InvalidJobRequestException naming what is wrong, with whatever identity could be read
     */
    public static JobRequest decodeRequest(byte[] body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            throw new InvalidJobRequestException("message is not JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidJobRequestException("message is not a JSON object");
        }
        UUID requestId = null;
        String repoUrl = textOrNull(root, "repo_url");
        String commitSha = textOrNull(root, "commit_sha");
        String repoOwner = textOrNull(root, "repo_owner");
        String repoName = textOrNull(root, "repo_name");
        try {
            requestId = JobRequestValidator.requestId(requiredText(root, "request_id"));
            String schema = text(root, "schema_version");
            if (schema != null && !schema.equals(JobRequest.SCHEMA_VERSION)) {
                throw new IllegalArgumentException("schema_version must be " + JobRequest.SCHEMA_VERSION
                        + ", was " + JobRequestValidator.describe(schema));
            }
            String sourceText = text(root, "source");
            JobSource source = sourceText == null ? null : JobSource.parse(sourceText);
            return new JobRequest(
                    requestId,
                    source,
                    JobRequestValidator.repoUrl(requiredText(root, "repo_url")),
                    JobRequestValidator.commitSha(requiredText(root, "commit_sha")),
                    JobRequestValidator.workflowPath(text(root, "workflow_path")),
                    JobRequestValidator.printable("workflow_job_id", text(root, "workflow_job_id"), 256),
                    JobRequestValidator.label("runs_on", text(root, "runs_on")),
                    timestamp(requiredText(root, "submitted_at")),
                    JobRequestValidator.printable("repo_owner", repoOwner, 256),
                    JobRequestValidator.printable("repo_name", repoName, 256));
        } catch (IllegalArgumentException e) {
            boolean idOk = requestId != null;
            throw new InvalidJobRequestException(e.getMessage(), requestId,
                    idOk ? safeEcho(repoUrl) : null, idOk ? safeEcho(commitSha) : null,
                    idOk ? safeEcho(repoOwner) : null, idOk ? safeEcho(repoName) : null);
        }
    }

    public static byte[] encodeRequest(JobRequest request) {
        return write(g -> {
            g.writeStringField("schema_version", JobRequest.SCHEMA_VERSION);
            g.writeStringField("request_id", request.requestId().toString());
            if (request.source() != null) {
                g.writeStringField("source", request.source().wireName());
            }
            g.writeStringField("repo_url", request.repoUrl());
            g.writeStringField("commit_sha", request.commitSha());
            optional(g, "workflow_path", request.workflowPath());
            optional(g, "workflow_job_id", request.workflowJobId());
            optional(g, "runs_on", request.runsOn());
            g.writeStringField("submitted_at", formatTime(request.submittedAt()));
            optional(g, "repo_owner", request.repoOwner());
            optional(g, "repo_name", request.repoName());
        });
    }

    public static byte[] encodeResult(JobResult result) {
        return write(g -> {
            g.writeStringField("schema_version", JobResult.SCHEMA_VERSION);
            g.writeStringField("request_id", result.requestId().toString());
            g.writeStringField("repo_url", result.repoUrl());
            g.writeStringField("commit_sha", result.commitSha());
            optional(g, "repo_owner", result.repoOwner());
            optional(g, "repo_name", result.repoName());
            g.writeBooleanField("success", result.success());
            g.writeNumberField("exit_code", result.exitCode());
            g.writeStringField("summary", result.summary());
            g.writeStringField("completed_at", formatTime(result.completedAt()));
        });
    }

    /** Parses a JobResult (used by {@code enqueue --wait}, tests and benchmarks). */
    public static JobResult decodeResult(byte[] body) {
        try {
            JsonNode root = MAPPER.readTree(body);
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("result is not a JSON object");
            }
            String schema = text(root, "schema_version");
            if (!JobResult.SCHEMA_VERSION.equals(schema)) {
                throw new IllegalArgumentException("schema_version must be " + JobResult.SCHEMA_VERSION
                        + ", was " + JobRequestValidator.describe(schema));
            }
            JsonNode exit = root.get("exit_code");
            JsonNode success = root.get("success");
            if (success == null || !success.isBoolean()) {
                throw new IllegalArgumentException("success must be a boolean");
            }
            if (exit == null || !exit.isInt()) {
                throw new IllegalArgumentException("exit_code must be an integer");
            }
            return new JobResult(JobRequestValidator.requestId(requiredText(root, "request_id")),
                    requiredText(root, "repo_url"), requiredText(root, "commit_sha"),
                    text(root, "repo_owner"), text(root, "repo_name"),
                    success.booleanValue(), exit.intValue(), requiredText(root, "summary"),
                    timestamp(requiredText(root, "completed_at")));
        } catch (IOException e) {
            throw new IllegalArgumentException("result is not JSON: " + firstLine(e.getMessage()), e);
        }
    }

    /** RFC 3339 with second precision and a Z, as in WIRE.md. */
    public static String formatTime(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    static Instant timestamp(String value) {
        try {
            return OffsetDateTime.parse(value.toUpperCase(Locale.ROOT).replace(' ', 'T'),
                    DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("submitted_at must be an RFC 3339 timestamp, was "
                    + JobRequestValidator.describe(value));
        }
    }

    private static String requiredText(JsonNode root, String field) {
        String value = text(root, field);
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    /** A string field, null when absent or JSON null; a wrong type is an error naming the field. */
    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string, was " + node.getNodeType()
                    .toString().toLowerCase(Locale.ROOT));
        }
        return node.textValue();
    }

    private static String textOrNull(JsonNode root, String field) {
        JsonNode node = root.get(field);
        return node != null && node.isTextual() ? node.textValue() : null;
    }

    /** Echo a value from a rejected message only when it is harmless text. */
    private static String safeEcho(String value) {
        if (value == null || value.length() > 2048 || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return null;
        }
        return value;
    }

    private static void optional(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] write(Fields fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
