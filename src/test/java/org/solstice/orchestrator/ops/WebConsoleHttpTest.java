package org.solstice.orchestrator.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.solstice.orchestrator.testing.JobRequests.aJob;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.messaging.JobRequest;
import org.solstice.orchestrator.testing.Http;
import org.solstice.orchestrator.testing.LogCapture;
import org.solstice.orchestrator.testing.NoopDaemonHarness;
import org.solstice.orchestrator.testing.NoopDaemons;
import org.solstice.orchestrator.testing.KeptLogs;

/** The web console over plain HTTP: its headers, its API, and that a job id cannot name another file. */
class WebConsoleHttpTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final NoopDaemons daemons = new NoopDaemons();

    @Test
    void pagesAndApiCarryTheSecurityHeadersAndJobIdsStayInsideTheStateDirectory() throws Exception {
        NoopDaemonHarness harness = daemons.in(dir).runTime(Duration.ofMillis(300))
                .ops(OpsSettings.defaults().withHttpPort(0));
        harness.start();
        int port = harness.daemon().httpPort();

        for (String path : List.of("/", "/job", "/images", "/host", "/console.js", "/console.css", "/api/jobs",
                "/api/images", "/api/host", "/readyz")) {
            HttpResponse<String> r = Http.get(port, path);
            assertThat(r.statusCode()).as(path).isIn(200, 503);
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(path).hasValue(WebConsole.CSP);
            assertThat(WebConsole.CSP).contains("script-src 'self'", "default-src 'self'", "connect-src 'self'")
                    .doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
        }
        assertThat(Http.get(port, "/").body()).contains("<script src=\"/console.js\" defer></script>")
                .doesNotContainPattern("<script>|\\sstyle=|\\son[a-z]+=");
        assertThat(Http.get(port, "/console.js").headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
        assertThat(Http.get(port, "/console.js").body()).doesNotContain("innerHTML", "outerHTML", "eval(",
                "insertAdjacentHTML", "document.write");

        // a secret beside the state directory: no job id reaches it
        Files.writeString(dir.resolve("secret.log"), "top secret");
        Files.createDirectories(dir.resolve("state/logs"));
        for (String path : List.of("/api/jobs/..%2F..%2Fsecret/log", "/api/jobs/../../secret/log",
                "/api/jobs/not-a-uuid", "/api/jobs/%2e%2e/console", "/api/jobs/1-1-1-1-1/log",
                "/api/jobs/" + UUID.randomUUID() + "/../../secret.log")) {
            HttpResponse<String> r = Http.get(port, path);
            assertThat(r.statusCode()).as(path).isIn(400, 404);
            assertThat(r.body()).as(path).doesNotContain("top secret");
        }
        HttpResponse<String> readOnly = Http.post(port, "/api/actions/drain", "anything");
        assertThat(readOnly.statusCode()).as("a daemon without --admin-token-file refuses every action").isEqualTo(403);
        assertThat(readOnly.body()).contains("read-only");
        UUID unknown = UUID.randomUUID();
        assertThat(Http.get(port, "/api/jobs/" + unknown).statusCode()).isEqualTo(404);
        assertThat(Http.get(port, "/api/jobs/" + unknown + "/console").statusCode()).isEqualTo(404);
        JsonNode none = OpsMessages.MAPPER.readTree(Http.get(port, "/api/jobs/" + unknown + "/log").body());
        assertThat(none.path("exists").asBoolean()).isFalse();

        JobRequest job = aJob().build();
        harness.client().publish(job);
        assertThat(harness.client().awaitResult(job.requestId(), Duration.ofSeconds(60))).isPresent();
        JsonNode body = OpsMessages.MAPPER.readTree(Http.get(port, "/api/jobs/" + job.requestId()).body());
        assertThat(body.path("job").path("repo_url").asText()).isEqualTo(job.repoUrl());
        assertThat(body.path("request").path("commit_sha").asText()).isEqualTo(job.commitSha());
        assertThat(body.path("timeline")).extracting(s -> s.path("step").asText())
                .containsExactly("accepted", "provisioning", "running", "finished");

        // the log in slices, each ending on a whole character, together the kept log
        String kept = KeptLogs.await(dir.resolve("state"), job.requestId());
        StringBuilder whole = new StringBuilder();
        long offset = 0;
        for (int i = 0; i < 100; i++) {
            JsonNode slice = OpsMessages.MAPPER.readTree(
                    Http.get(port, "/api/jobs/" + job.requestId() + "/log?offset=" + offset).body());
            assertThat(slice.path("live").asBoolean()).isFalse();
            whole.append(slice.path("text").asText());
            if (slice.path("next_offset").asLong() == offset) {
                break;
            }
            offset = slice.path("next_offset").asLong();
        }
        assertThat(whole.toString()).isEqualTo(kept);
        HttpResponse<String> console = Http.get(port, "/api/jobs/" + job.requestId() + "/console");
        assertThat(console.body()).isEqualTo(kept);
        assertThat(console.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
    }

    @Test
    void actionsNeedTheAdminTokenAndAreLogged() throws Exception {
        Path tokenFile = dir.resolve("admin-token");
        Files.writeString(tokenFile, "s3cret-token\n");
        NoopDaemonHarness harness = daemons.in(dir).runTime(Duration.ofSeconds(60))
                .ops(OpsSettings.defaults().withHttpPort(0).withAdminTokenFile(tokenFile));
        harness.start();
        int port = harness.daemon().httpPort();
        JobRequest job = aJob().build();
        harness.client().publish(job);
        String cancel = "/api/actions/cancel?job=" + job.requestId();
        await("the job running").atMost(Duration.ofSeconds(30)).until(() -> OpsMessages.MAPPER.readTree(
                Http.get(port, "/api/jobs/" + job.requestId()).body()).path("job").path("state").asText(),
                "running"::equals);

        try (LogCapture logs = new LogCapture()) {
            assertThat(Http.post(port, cancel, null).statusCode()).as("no token").isEqualTo(401);
            assertThat(Http.post(port, cancel, "wrong").statusCode()).as("a wrong token").isEqualTo(401);
            assertThat(Http.get(port, cancel).statusCode()).as("GET changes nothing").isEqualTo(405);
            assertThat(OpsMessages.MAPPER.readTree(Http.get(port, "/api/jobs/" + job.requestId()).body())
                    .path("job").path("state").asText()).as("still running after the refusals").isEqualTo("running");
            assertThat(Http.post(port, "/api/actions/cancel?job=../../x", "s3cret-token").statusCode()).isEqualTo(400);
            assertThat(Http.post(port, "/api/actions/prepare?image=illumos", "s3cret-token").statusCode())
                    .as("the noop backend boots no image: nothing to prepare").isEqualTo(501);

            HttpResponse<String> done = Http.post(port, cancel, "s3cret-token");
            assertThat(done.statusCode()).isEqualTo(200);
            assertThat(harness.client().awaitResult(job.requestId(), Duration.ofSeconds(30)))
                    .hasValueSatisfying(r -> assertThat(r.success()).isFalse());
            await("the job finished as cancelled").atMost(Duration.ofSeconds(30)).until(() -> OpsMessages.MAPPER
                    .readTree(Http.get(port, "/api/jobs/" + job.requestId()).body()).path("job").path("outcome")
                    .asText(), "cancelled"::equals);
            // the audit trail is what is under test here: who (token holder, address) and what, every attempt
            assertThat(logs.text()).as("who and what, for every attempt")
                    .contains("admin action refused (cancel {job=" + job.requestId() + "} from /127.0.0.1:")
                    .contains("no or a wrong admin token")
                    .contains("admin action by the admin-token holder from /127.0.0.1:")
                    .contains("cancel {job=" + job.requestId() + "}: asked job " + job.requestId() + " to stop");
        }
    }

    @Test
    void aSliceNeverEndsInsideACharacter() {
        byte[] text = "aé€😀".getBytes(StandardCharsets.UTF_8); // 1, 2, 3 and 4 bytes
        assertThat(JobLogFile.wholeCharacters(text, text.length)).isEqualTo(10);
        assertThat(JobLogFile.wholeCharacters(text, 9)).isEqualTo(6);
        assertThat(JobLogFile.wholeCharacters(text, 7)).isEqualTo(6);
        assertThat(JobLogFile.wholeCharacters(text, 5)).isEqualTo(3);
        assertThat(JobLogFile.wholeCharacters(text, 2)).isEqualTo(1);
        assertThat(WebConsole.jobId("../../etc/passwd")).isEmpty();
        assertThat(WebConsole.jobId("1-1-1-1-1")).isEmpty();
        UUID id = UUID.randomUUID();
        assertThat(WebConsole.jobId(id.toString())).hasValue(id);
    }
}
