package org.solstice.orchestrator.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.solstice.orchestrator.testing.JobRequests.aJob;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.messaging.JobRequest;
import org.solstice.orchestrator.store.JobState;
import org.solstice.orchestrator.testing.Http;
import org.solstice.orchestrator.testing.NoopDaemonHarness;
import org.solstice.orchestrator.testing.NoopDaemons;
import org.solstice.orchestrator.testing.RabbitMq;

/**
 * The web console's two host actions over HTTP with the admin token, on a noop daemon and the real broker: drain
 * this host (as SIGTERM does, without exiting) and prepare an image again.
 */
class ConsoleActionsTest {
    private static final String TOKEN = "s3cret-token";

    @TempDir
    Path dir;

    @RegisterExtension
    final NoopDaemons daemons = new NoopDaemons();

    private NoopDaemonHarness withToken(NoopDaemonHarness harness) throws Exception {
        Path tokenFile = dir.resolve("admin-token");
        Files.writeString(tokenFile, TOKEN + "\n");
        return harness.ops(OpsSettings.defaults().withHttpPort(0).withAdminTokenFile(tokenFile));
    }

    @Test
    void drainLetsTheRunningJobFinishHandsTheWaitingOnesBackAndTheDaemonStaysUpDrained() throws Exception {
        NoopDaemonHarness harness = withToken(daemons.in(dir).maxConcurrency(1).maxPending(2)
                .runTime(Duration.ofSeconds(3)));
        harness.start();
        int port = harness.daemon().httpPort();
        String labelQueue = harness.amqp().labelQueue("linux");
        List<JobRequest> jobs = List.of(aJob().build(), aJob().build(), aJob().build());
        jobs.forEach(harness.client()::publish);
        await("1 job running and 2 accepted, waiting").atMost(Duration.ofSeconds(30))
                .until(() -> states(harness), Map.of(JobState.RUNNING, 1L, JobState.ACCEPTED, 2L)::equals);
        JobRequest running = jobs.stream().filter(j -> harness.storedJob(j.requestId()).orElseThrow().state()
                == JobState.RUNNING).findFirst().orElseThrow();

        HttpResponse<String> drain = Http.post(port, "/api/actions/drain", TOKEN);
        assertThat(drain.statusCode()).as(drain.body()).isEqualTo(200);
        assertThat(done(drain)).startsWith("draining");

        assertThat(harness.client().awaitResult(running.requestId(), Duration.ofSeconds(30)))
                .as("the running job finishes with its result")
                .hasValueSatisfying(r -> assertThat(r.success()).isTrue());
        await("the two waiting jobs back in their label queue").atMost(Duration.ofSeconds(30))
                .until(() -> RabbitMq.messageCount(labelQueue) == 2);
        await("/api/host saying drained").atMost(Duration.ofSeconds(30))
                .until(() -> json(Http.get(port, "/api/host")).path("state").asText(), "drained"::equals);
        HttpResponse<String> readyz = Http.get(port, "/readyz");
        assertThat(readyz.statusCode()).isEqualTo(503);
        JsonNode readiness = json(readyz);
        assertThat(readiness.path("not_ready").toString()).contains("drain");
        assertThat(readiness.path("checks").path("drain").path("detail").asText()).startsWith("drained");
        assertThat(Http.get(port, "/healthz").statusCode()).as("alive all the same").isEqualTo(200);

        JobRequest later = aJob().build();
        harness.client().publish(later);
        await("nothing more consumed (neither routed nor taken), for 2 s").during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10)).until(() -> RabbitMq.messageCount(harness.amqp().jobQueue()) == 1
                        && RabbitMq.messageCount(labelQueue) == 2 && harness.storedJob(later.requestId()).isEmpty());

        HttpResponse<String> again = Http.post(port, "/api/actions/drain", TOKEN);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(done(again)).startsWith("already drained");

        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(harness.daemon()::shutdown);
        await("SIGTERM's shutdown after the drain").atMost(Duration.ofSeconds(30)).until(shutdown::isDone);
        assertThat(shutdown).isCompleted();
        assertThat(RabbitMq.messageCount(labelQueue)).as("nothing handed back twice").isEqualTo(2);
        assertThat(RabbitMq.messageCount(harness.amqp().jobQueue())).as("the later request still queued").isEqualTo(1);
        assertThat(harness.client().resultCounts()).as("one result, for the job that ran")
                .isEqualTo(Map.of(running.requestId(), 1));
    }

    @Test
    void prepareAgainReadsAFileImageAgainAndItsJobsStillRun() throws Exception {
        Path source = dir.resolve("ubuntu-source.img");
        Files.write(source, new byte[64 * 1024]);
        Files.writeString(dir.resolve("map.yaml"), """
                default_label: linux
                aliases:
                  linux: ubuntu-22.04
                images:
                  ubuntu-22.04:
                    source: %s
                    local_path: %s
                """.formatted(source.toUri(), dir.resolve("images/ubuntu.img")));
        NoopDaemonHarness harness = withToken(daemons.in(dir).prepareImages());
        harness.start();
        int port = harness.daemon().httpPort();
        String prepared = "solstice_orchestrator_image_preparation_seconds_count{image=\"ubuntu-22.04\","
                + "outcome=\"prepared\"}";
        await("the image prepared at start").atMost(Duration.ofSeconds(30))
                .until(() -> preparedCount(port, prepared) == 1);

        byte[] changed = new byte[96 * 1024];
        changed[0] = 42;
        Files.write(source, changed); // the source changed behind the same URL
        HttpResponse<String> answer = Http.post(port, "/api/actions/prepare?image=ubuntu-22.04", TOKEN);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(done(answer)).startsWith("preparing image ubuntu-22.04 again");
        await("the image prepared a second time").atMost(Duration.ofSeconds(30))
                .until(() -> preparedCount(port, prepared) == 2);
        assertThat(Files.readAllBytes(dir.resolve("images/ubuntu.img"))).as("read again").isEqualTo(changed);
        JsonNode image = json(Http.get(port, "/api/images")).path("images").get(0);
        assertThat(image.path("preparation").path("phase").asText()).isEqualTo("prepared");
        assertThat(image.path("size").asLong()).isEqualTo(changed.length);

        HttpResponse<String> unknown = Http.post(port, "/api/actions/prepare?image=no-such-image", TOKEN);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("no-such-image");

        JobRequest job = aJob().build();
        harness.client().publish(job);
        assertThat(harness.client().awaitResult(job.requestId(), Duration.ofSeconds(30)))
                .as("a job of the image still runs").hasValueSatisfying(r -> assertThat(r.success()).isTrue());
    }

    private static double preparedCount(int port, String series) throws Exception {
        String scrape = Http.get(port, "/metrics").body();
        return scrape.contains("outcome=\"prepared\"") ? Metrics.value(scrape, series) : 0;
    }

    private static Map<JobState, Long> states(NoopDaemonHarness harness) {
        return harness.daemon().state().recentJobs(100).stream()
                .collect(Collectors.groupingBy(j -> j.state(), Collectors.counting()));
    }

    private static String done(HttpResponse<String> response) throws Exception {
        return json(response).path("done").asText();
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return OpsMessages.MAPPER.readTree(response.body());
    }
}
