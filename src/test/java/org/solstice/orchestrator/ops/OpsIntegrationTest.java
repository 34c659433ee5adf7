package org.solstice.orchestrator.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.solstice.orchestrator.ops.Metrics.value;
import static org.solstice.orchestrator.testing.JobRequests.aJob;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.cli.OrchestratorCommand;
import org.solstice.orchestrator.images.PreparationOutcome;
import org.solstice.orchestrator.messaging.JobRequest;
import org.solstice.orchestrator.testing.EventWatcher;
import org.solstice.orchestrator.testing.EventWatcher.Event;
import org.solstice.orchestrator.testing.Http;
import org.solstice.orchestrator.testing.NoopDaemonHarness;
import org.solstice.orchestrator.testing.NoopDaemons;
import picocli.CommandLine;

/** Real jobs on the noop backend against the real broker: what /metrics, /api, status and the events say. */
class OpsIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @RegisterExtension
    final NoopDaemons daemons = new NoopDaemons();

    private NoopDaemonHarness harness;
    private EventWatcher events;

    @AfterEach
    void tearDown() {
        if (events != null) {
            events.close();
        }
    }

    @Test
    void metricsCountRealJobsByLabelAndOutcome() throws Exception {
        harness = daemons.in(dir).maxConcurrency(2).capacityMap("linux=1").runTime(Duration.ofMillis(300))
                .ops(OpsSettings.defaults().withHttpPort(0));
        harness.start();
        int port = harness.daemon().httpPort();
        List<JobRequest> jobs = List.of(aJob().build(), aJob().runsOn("ubuntu-22.04").build(),
                aJob().runsOn("illumos").build());
        for (JobRequest job : jobs) {
            harness.client().publish(job);
        }
        for (JobRequest job : jobs) {
            assertThat(harness.client().awaitResult(job.requestId(), Duration.ofSeconds(60))).isPresent();
        }
        // a result goes out before its VM is torn down: wait for the teardowns to give their slots back
        await("the teardowns to give their slots back").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> harness.daemon().state().global().inUse() == 0);

        HttpResponse<String> response = Http.get(port, "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        String m = response.body();
        String p = "solstice_orchestrator_";
        assertThat(value(m, p + "job_results_total{label=\"linux\",outcome=\"success\"}")).isEqualTo(1);
        assertThat(value(m, p + "job_results_total{label=\"ubuntu-22.04\",outcome=\"success\"}")).isEqualTo(1);
        assertThat(value(m, p + "job_results_total{label=\"illumos\",outcome=\"success\"}")).isEqualTo(1);
        assertThat(m).doesNotContain("outcome=\"failure\"");
        assertThat(value(m, p + "job_duration_seconds_count{label=\"linux\"}")).isEqualTo(1);
        assertThat(value(m, p + "job_duration_seconds_count{label=\"illumos\"}")).isEqualTo(1);
        assertThat(value(m, p + "job_duration_seconds_sum{label=\"illumos\"}")).isGreaterThanOrEqualTo(0.3);
        assertThat(value(m, p + "job_duration_seconds_bucket{label=\"illumos\",le=\"1.0\"}")).isEqualTo(1);
        assertThat(value(m, p + "job_start_delay_seconds_count{label=\"ubuntu-22.04\"}")).isEqualTo(1);
        assertThat(value(m, p + "job_result_delay_seconds_count{label=\"linux\",outcome=\"success\"}")).isEqualTo(1);
        assertThat(m).as("every series names the daemon's instance id").contains(
                p + "jobs_running{instance_id=\"test-instance\"} ");
        assertThat(value(m, p + "jobs_running")).isZero();
        assertThat(value(m, p + "jobs_waiting")).isZero();
        assertThat(value(m, p + "max_concurrency")).isEqualTo(2);
        assertThat(value(m, p + "image_capacity{image=\"ubuntu-22.04\"}")).isEqualTo(1);
        assertThat(value(m, p + "image_capacity{image=\"illumos\"}")).isEqualTo(2);
        assertThat(value(m, p + "image_jobs_running{image=\"illumos\"}")).isZero();
        assertThat(value(m, p + "leaked_vms_reaped_total")).isZero();
        assertThat(value(m, p + "broker_reconnects_total")).isZero();
        assertThat(value(m, p + "jobs_routed_total") + value(m, p + "jobs_taken_directly_total"))
                .as("each request went through this daemon's router, to its label's queue or straight here")
                .isEqualTo(3);
        assertThat(value(m, p + "jobs_taken_directly_total")).as("the first found its label idle").isPositive();
        assertThat(value(m, p + "jobs_unroutable_total")).isZero();
        assertThat(value(m, "jvm_threads_current")).isPositive();

        // image preparation reports through the daemon's image listener
        var map = org.solstice.orchestrator.config.ImageMapLoader.load(harness.imageMap());
        harness.daemon().imageListener().finished(map.images().get("illumos"), new PreparationOutcome(
                PreparationOutcome.Result.PREPARED, 1000, 4096, "ab", Duration.ofMillis(1500), 1, null));
        harness.daemon().imageListener().finished(map.images().get("illumos"), new PreparationOutcome(
                PreparationOutcome.Result.FAILED, 24, -1, null, Duration.ofMillis(200), 3, "404"));
        m = Http.get(port, "/metrics").body();
        assertThat(value(m, p + "image_prepared_bytes_total{image=\"illumos\"}")).isEqualTo(1024);
        assertThat(value(m, p + "image_preparation_seconds_count{image=\"illumos\",outcome=\"prepared\"}")).isEqualTo(1);
        assertThat(value(m, p + "image_preparation_seconds_sum{image=\"illumos\",outcome=\"prepared\"}")).isEqualTo(1.5);
        assertThat(value(m, p + "image_preparation_seconds_count{image=\"illumos\",outcome=\"failed\"}")).isEqualTo(1);

        JsonNode capacity = JSON.readTree(Http.get(port, "/api/capacity").body());
        assertThat(capacity.path("global").path("limit").asInt()).isEqualTo(2);
        assertThat(capacity.path("labels").get(0).path("image").asText()).isEqualTo("ubuntu-22.04");
        assertThat(capacity.path("labels").get(0).path("aliases").get(0).asText()).isEqualTo("linux");
        assertThat(capacity.path("labels").get(0).path("limit").asInt()).isEqualTo(1);
        JsonNode recent = JSON.readTree(Http.get(port, "/api/jobs").body()).path("jobs");
        assertThat(recent).hasSize(3);
        assertThat(recent.get(0).path("state").asText()).isEqualTo("finished");
        assertThat(recent.get(0).path("outcome").asText()).isEqualTo("success");
        assertThat(Http.get(port, "/healthz").statusCode()).isEqualTo(200);
        assertThat(Http.get(port, "/nothing-here").statusCode()).isEqualTo(404);

        StringWriter out = new StringWriter();
        CommandLine cli = OrchestratorCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("status", "--url", "http://127.0.0.1:" + port)).isZero();
        assertThat(out.toString())
                .contains("IMAGE", "ALIASES", "IN USE", "LIMIT", "WAITING")
                .containsPattern("ubuntu-22.04 +linux +0 +1 +0")
                .containsPattern("illumos +0 +2 +0")
                .contains(jobs.get(2).requestId().toString())
                .containsPattern(jobs.get(2).requestId() + " +finished +illumos .* success");
    }

    @Test
    void aTimedOutJobIsCountedUnderItsOutcome() throws Exception {
        Files.writeString(dir.resolve("map.yaml"), NoopDaemonHarness.MAP + """
                  quick:
                    source: file:///nonexistent/quick.img
                    local_path: quick.img
                    timeout: 1s
                """);
        harness = daemons.in(dir).runTime(Duration.ofSeconds(5)).ops(OpsSettings.defaults().withHttpPort(0));
        events = new EventWatcher(harness.amqp());
        harness.start();
        JobRequest job = aJob().runsOn("quick").build();
        harness.client().publish(job);
        assertThat(harness.client().awaitResult(job.requestId(), Duration.ofSeconds(60))).hasValueSatisfying(r ->
                assertThat(r.summary()).contains("timed out"));

        String m = Http.get(harness.daemon().httpPort(), "/metrics").body();
        assertThat(value(m, "solstice_orchestrator_job_results_total{label=\"quick\",outcome=\"timeout\"}"))
                .isEqualTo(1);
        assertThat(m).doesNotContain("outcome=\"success\"");
        assertThat(value(m, "solstice_orchestrator_job_result_delay_seconds_count{label=\"quick\",outcome=\"timeout\"}"))
                .isEqualTo(1);
        Event finished = events.await("the job's finished status", e -> e.requestId().equals(job.requestId().toString())
                && "finished".equals(e.body().path("status").asText()), Duration.ofSeconds(10));
        assertThat(finished.body().path("outcome").asText()).isEqualTo("timeout");
    }

    @Test
    void statusEventsAndTheWholeConsoleAreStreamedInOrder() throws Exception {
        harness = daemons.in(dir).runTime(Duration.ofMillis(2500));
        events = new EventWatcher(harness.amqp());
        harness.start();
        JobRequest job = aJob().build();
        harness.client().publish(job);
        assertThat(harness.client().awaitResult(job.requestId(), Duration.ofSeconds(60))).isPresent();
        events.await("the job's last console chunk (eof)",
                e -> e.requestId().equals(job.requestId().toString()) && e.body().path("eof").asBoolean(),
                Duration.ofSeconds(10));

        List<Event> statuses = events.of(job.requestId(), "jobstatus.v1");
        assertThat(statuses).extracting(e -> e.body().path("status").asText())
                .containsExactly("accepted", "provisioning", "running", "finished");
        for (Event e : statuses) {
            assertThat(e.body().path("schema_version").asText()).isEqualTo("jobstatus.v1");
            assertThat(e.body().path("label").asText()).isEqualTo("linux");
            assertThat(e.body().path("repo_url").asText()).isEqualTo(job.repoUrl());
            assertThat(e.body().path("commit_sha").asText()).isEqualTo(job.commitSha());
            assertThat(e.body().path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        }
        assertThat(statuses.get(3).body().path("outcome").asText()).isEqualTo("success");

        List<Event> logs = events.of(job.requestId(), "joblog.v1");
        StringBuilder whole = new StringBuilder();
        for (int i = 0; i < logs.size(); i++) {
            JsonNode body = logs.get(i).body();
            assertThat(body.path("schema_version").asText()).isEqualTo("joblog.v1");
            assertThat(body.path("seq").asLong()).isEqualTo(i);
            assertThat(body.path("eof").asBoolean()).isEqualTo(i == logs.size() - 1);
            whole.append(body.path("chunk").asText());
        }
        String kept = Files.readString(dir.resolve("state/logs/" + job.requestId() + ".log"));
        assertThat(whole.toString()).isEqualTo(kept).contains("noop: running for 2 s", "SOLSTICE_JOB_EXIT=0");

        // streamed while it ran: the first tick reached the broker before the job's "finished"
        List<Event> all = events.of(job.requestId(), null);
        int tick = indexOf(all, e -> e.body().path("chunk").asText().contains("noop: running for 1 s"));
        int finished = indexOf(all, e -> "finished".equals(e.body().path("status").asText()));
        assertThat(tick).isNotNegative().isLessThan(finished);
    }

    private static int indexOf(List<Event> events, java.util.function.Predicate<Event> p) {
        for (int i = 0; i < events.size(); i++) {
            if (p.test(events.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
