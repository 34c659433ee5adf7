package org.solstice.orchestrator.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JobMessageCodecTest {
    static final String WIRE_EXAMPLE = """
            {
              "schema_version": "jobrequest.v1",
              "request_id": "5b0d6b8e-2f57-4c3e-9a43-6f1d1f2f6a10",
              "source": "forgejo",
              "repo_url": "https://code.example.org/acme/widgets.git",
              "commit_sha": "9f2c1e0b7d4a3c5e8f6a1b2c3d4e5f6a7b8c9d0e",
              "workflow_path": ".solstice/workflow.kdl",
              "workflow_job_id": "linux-build",
              "runs_on": "ubuntu-22.04",
              "submitted_at": "2026-11-24T10:15:30Z"
            }
            """;

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String replace(String field, String json) {
        return WIRE_EXAMPLE.replaceFirst("\"" + field + "\": [^,\\n]*", java.util.regex.Matcher.quoteReplacement(
                json == null ? "\"x-removed\": 0" : "\"" + field + "\": " + json));
    }

    @Test
    void decodesTheWireExample() {
        JobRequest r = JobMessageCodec.decodeRequest(bytes(WIRE_EXAMPLE));

        assertThat(r.requestId()).isEqualTo(UUID.fromString("5b0d6b8e-2f57-4c3e-9a43-6f1d1f2f6a10"));
        assertThat(r.source()).isEqualTo(JobSource.FORGEJO);
        assertThat(r.repoUrl()).isEqualTo("https://code.example.org/acme/widgets.git");
        assertThat(r.commitSha()).isEqualTo("9f2c1e0b7d4a3c5e8f6a1b2c3d4e5f6a7b8c9d0e");
        assertThat(r.workflowPath()).isEqualTo(".solstice/workflow.kdl");
        assertThat(r.workflowJobId()).isEqualTo("linux-build");
        assertThat(r.runsOn()).isEqualTo("ubuntu-22.04");
        assertThat(r.submittedAt()).isEqualTo(Instant.parse("2026-11-24T10:15:30Z"));
    }

    @Test
    void ignoresUnknownFieldsFromNewerPublishers() {
        String newer = WIRE_EXAMPLE.replace("{", "{\"group_id\": \"g-1\", \"script_path\": \"x.sh\","
                + " \"repo_owner\": \"acme\", \"repo_name\": \"widgets\", \"nested\": {\"a\": [1,2]},");

        JobRequest r = JobMessageCodec.decodeRequest(bytes(newer));

        assertThat(r.repoOwner()).isEqualTo("acme");
        assertThat(r.repoName()).isEqualTo("widgets");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Github", "GITHUB", "Forgejo", "Manual", "manual"})
    void readsTheSourceCaseInsensitively(String source) {
        JobRequest r = JobMessageCodec.decodeRequest(bytes(replace("source", "\"" + source + "\"")));

        assertThat(r.source().wireName()).isEqualTo(source.toLowerCase());
    }

    @Test
    void anAbsentSchemaVersionMeansV1AndAbsentOptionalsAreNull() {
        String minimal = """
                {"request_id": "5b0d6b8e-2f57-4c3e-9a43-6f1d1f2f6a10", "repo_url": "https://x.org/r.git",
                 "commit_sha": "abcdef0", "submitted_at": "2026-11-24T10:15:30+01:00"}
                """;

        JobRequest r = JobMessageCodec.decodeRequest(bytes(minimal));

        assertThat(r.runsOn()).isNull();
        assertThat(r.workflowPath()).isNull();
        assertThat(r.submittedAt()).isEqualTo(Instant.parse("2026-11-24T09:15:30Z"));
    }

    @Test
    void rejectsWhatIsNotJsonWithoutAnIdentity() {
        assertThatThrownBy(() -> JobMessageCodec.decodeRequest(bytes("hello")))
                .isInstanceOfSatisfying(InvalidJobRequestException.class, e -> {
                    assertThat(e).hasMessageStartingWith("message is not JSON");
                    assertThat(e.requestId()).isEmpty();
                    assertThat(e.failedResult(Instant.now())).isEmpty();
                });
    }

    @Test
    void anUnknownSchemaVersionIsRejectedWithTheRequestIdKept() {
        String v2 = replace("schema_version", "\"jobrequest.v2\"");

        assertThatThrownBy(() -> JobMessageCodec.decodeRequest(bytes(v2)))
                .isInstanceOfSatisfying(InvalidJobRequestException.class, e -> {
                    assertThat(e).hasMessageContaining("schema_version").hasMessageContaining("jobrequest.v2");
                    JobResult failed = e.failedResult(Instant.now()).orElseThrow();
                    assertThat(failed.requestId().toString()).isEqualTo("5b0d6b8e-2f57-4c3e-9a43-6f1d1f2f6a10");
                    assertThat(failed.success()).isFalse();
                    assertThat(failed.repoUrl()).isEqualTo("https://code.example.org/acme/widgets.git");
                    assertThat(failed.summary()).contains("schema_version");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "request_id=null", "request_id=\"not-a-uuid\"", "request_id=\"5b0d6b8e2f574c3e9a436f1d1f2f6a10\"",
        "repo_url=null", "repo_url=\"file:///etc/passwd\"", "repo_url=\"ext::sh -c touch% /tmp/pwned\"",
        "repo_url=\"https://x.org/a b\"", "repo_url=\"-uhttps://x.org/r\"", "repo_url=42",
        "commit_sha=null", "commit_sha=\"HEAD\"", "commit_sha=\"abc; rm -rf /\"", "commit_sha=\"abc\"",
        "submitted_at=null", "submitted_at=\"yesterday\"",
        "workflow_path=\"../../etc/passwd\"", "workflow_path=\"/abs/path\"", "workflow_path=\"a\\nb\"",
        "runs_on=\"ubuntu 22.04\"", "runs_on=\"$(id)\"", "source=\"gitlab\""
    })
    void rejectsBadFieldsNamingTheField(String change) {
        String field = change.substring(0, change.indexOf('='));
        String value = change.substring(change.indexOf('=') + 1);
        String json = value.equals("null") ? replace(field, null) : replace(field, value);

        assertThatThrownBy(() -> JobMessageCodec.decodeRequest(bytes(json)))
                .isInstanceOf(InvalidJobRequestException.class)
                .hasMessageContaining(field);
    }

    @Test
    void encodesResultsInTheWireShape() {
        JobResult result = new JobResult(UUID.fromString("5b0d6b8e-2f57-4c3e-9a43-6f1d1f2f6a10"),
                "https://code.example.org/acme/widgets.git", "9f2c1e0b7d4a3c5e8f6a1b2c3d4e5f6a7b8c9d0e", null, null,
                false, 2, "job exited with status 2", Instant.parse("2026-11-24T10:17:02.731Z"));

        String json = new String(JobMessageCodec.encodeResult(result), StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"schema_version\":\"jobresult.v1\","
                + "\"request_id\":\"5b0d6b8e-2f57-4c3e-9a43-6f1d1f2f6a10\","
                + "\"repo_url\":\"https://code.example.org/acme/widgets.git\","
                + "\"commit_sha\":\"9f2c1e0b7d4a3c5e8f6a1b2c3d4e5f6a7b8c9d0e\","
                + "\"success\":false,\"exit_code\":2,\"summary\":\"job exited with status 2\","
                + "\"completed_at\":\"2026-11-24T10:17:02Z\"}");
    }

    @Test
    void echoesRepoOwnerAndNameWhenTheRequestCarriedThem() {
        JobRequest request = JobMessageCodec.decodeRequest(bytes(WIRE_EXAMPLE.replace("{",
                "{\"repo_owner\": \"acme\", \"repo_name\": \"widgets\",")));

        JobResult result = JobMessageCodec.decodeResult(JobMessageCodec.encodeResult(
                JobResult.of(request, true, 0, "ok", Instant.now())));

        assertThat(result.repoOwner()).isEqualTo("acme");
        assertThat(result.repoName()).isEqualTo("widgets");
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void aRequestSurvivesEncodeAndDecode() {
        JobRequest original = JobMessageCodec.decodeRequest(bytes(WIRE_EXAMPLE));

        JobRequest again = JobMessageCodec.decodeRequest(JobMessageCodec.encodeRequest(original));

        assertThat(again).isEqualTo(original);
    }
}
