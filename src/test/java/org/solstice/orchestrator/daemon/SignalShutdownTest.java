package org.solstice.orchestrator.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.solstice.orchestrator.testing.JobRequests.aJob;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.messaging.AmqpSettings;
import org.solstice.orchestrator.messaging.JobClient;
import org.solstice.orchestrator.messaging.JobRequest;
import org.solstice.orchestrator.messaging.JobResult;
import org.solstice.orchestrator.testing.NoopDaemonHarness;
import org.solstice.orchestrator.testing.RabbitMq;

/** The daemon as a real process, stopped with a real SIGTERM. */
class SignalShutdownTest {
    @TempDir
    Path dir;

    private final AmqpSettings amqp = RabbitMq.uniqueSettings(1);
    private Process process;
    private Path log;

    @AfterEach
    void tearDown() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
        RabbitMq.deleteTopology(amqp);
    }

    private Process startDaemon(String... extra) throws IOException {
        Path map = dir.resolve("map.yaml");
        Files.writeString(map, NoopDaemonHarness.MAP);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "org.solstice.orchestrator.Main",
                "--config", map.toString(), "--hypervisor", "noop", "--state-dir", dir.resolve("state").toString(),
                "--amqp-url", RabbitMq.uri().toString(),
                "--amqp-exchange", amqp.jobExchange(), "--amqp-queue", amqp.jobQueue(),
                "--amqp-dlx", amqp.deadLetterExchange(), "--amqp-dlq", amqp.deadLetterQueue(),
                "--amqp-result-exchange", amqp.resultExchange()));
        command.addAll(List.of(extra));
        log = dir.resolve("daemon.log");
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return process;
    }

    private void awaitLog(String text, int times) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String content = Files.exists(log) ? Files.readString(log) : "";
            if (content.split(java.util.regex.Pattern.quote(text), -1).length - 1 >= times) {
                return;
            }
            assertThat(process.isAlive()).as("daemon still running; log:\n" + content).isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("'" + text + "' did not appear " + times + " times in:\n" + Files.readString(log));
    }

    @Test
    void sigtermDrainsRunningJobsHandsBackTheRestAndExitsZero() throws Exception {
        startDaemon("--max-concurrency", "2", "--max-pending", "2", "--noop-run-time", "4s",
                "--drain-timeout", "60s");
        awaitLog("ready in", 1);
        try (JobClient client = new JobClient(amqp)) {
            client.watchResults();
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                JobRequest job = aJob().build();
                client.publish(job);
                ids.add(job.requestId());
            }
            awaitLog("started", 2);
            awaitLog("accepted", 4);

            process.destroy(); // SIGTERM

            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited after draining").isTrue();
            assertThat(process.exitValue()).isZero();
            Thread.sleep(500);
            assertThat(client.results()).as("the two running jobs finished").hasSize(2)
                    .allSatisfy((id, result) -> assertThat(result.success()).isTrue());
            assertThat(RabbitMq.messageCount(amqp.jobQueue())).as("everything else is back in the queue")
                    .isEqualTo(6);
            assertThat(Files.readString(log)).contains("handed back to queue");

            // another orchestrator takes the rest: every job ends in exactly one result
            startDaemon("--max-concurrency", "4", "--noop-run-time", "100ms");
            for (UUID id : ids) {
                assertThat(client.awaitResult(id, Duration.ofSeconds(30))).as("result for " + id).isPresent();
            }
            Thread.sleep(500);
            assertThat(client.resultCounts()).hasSize(8).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
        }
    }

    @Test
    void jobsOutlastingTheDrainAreCancelledWithAResultAndTheDaemonStillExitsZero() throws Exception {
        startDaemon("--max-concurrency", "2", "--noop-run-time", "10m", "--drain-timeout", "1s",
                "--shutdown-timeout", "2s");
        awaitLog("ready in", 1);
        try (JobClient client = new JobClient(amqp)) {
            client.watchResults();
            JobRequest first = aJob().build();
            JobRequest second = aJob().build();
            client.publish(first);
            client.publish(second);
            awaitLog("started", 2);

            process.destroy();

            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
            for (JobRequest job : List.of(first, second)) {
                JobResult result = client.awaitResult(job.requestId(), Duration.ofSeconds(10)).orElseThrow();
                assertThat(result.success()).isFalse();
                assertThat(result.summary()).contains("job cancelled: the orchestrator shut down");
            }
        }
    }
}
