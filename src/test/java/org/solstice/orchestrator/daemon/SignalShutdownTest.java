package org.solstice.orchestrator.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.solstice.orchestrator.testing.JobRequests.aJob;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.messaging.AmqpSettings;
import org.solstice.orchestrator.messaging.JobClient;
import org.solstice.orchestrator.messaging.JobRequest;
import org.solstice.orchestrator.messaging.JobResult;
import org.solstice.orchestrator.store.JobState;
import org.solstice.orchestrator.testing.DaemonProcess;
import org.solstice.orchestrator.testing.RabbitMq;
import org.solstice.orchestrator.testing.StoredJobs;

/** The daemon as a real process, stopped with a real SIGTERM. */
class SignalShutdownTest {
    @TempDir
    Path dir;

    private final AmqpSettings amqp = RabbitMq.uniqueSettings(1);
    private DaemonProcess daemon;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (daemon != null) {
            daemon.close();
        }
        RabbitMq.deleteTopology(amqp);
    }

    private Path stateDir() {
        return dir.resolve("state");
    }

    private DaemonProcess startDaemon(String name, String... extra) throws IOException {
        List<String> options = new ArrayList<>(List.of("--hypervisor", "noop", "--state-dir",
                stateDir().toString()));
        options.addAll(List.of(extra));
        daemon = DaemonProcess.start(dir, name, amqp, options.toArray(String[]::new));
        return daemon;
    }

    @Test
    void sigtermDrainsRunningJobsHandsBackTheRestAndExitsZero() throws Exception {
        Process process = startDaemon("first", "--max-concurrency", "2", "--max-pending", "2", "--noop-run-time", "4s",
                "--drain-timeout", "60s").process();
        daemon.awaitReady();
        try (JobClient client = new JobClient(amqp)) {
            client.watchResults();
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                JobRequest job = aJob().build();
                client.publish(job);
                ids.add(job.requestId());
            }
            // docs/reliability.md's set-up: 2 running, 2 accepted and waiting (the other 4 stay in the broker)
            StoredJobs.awaitExactly(stateDir(), Map.of(JobState.RUNNING, 2, JobState.ACCEPTED, 2), daemon::isAlive);

            process.destroy(); // SIGTERM

            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited after draining").isTrue();
            assertThat(process.exitValue()).isZero();
            await("the two running jobs' results").atMost(Duration.ofSeconds(10))
                    .until(() -> client.results().size() >= 2);
            assertThat(client.results()).as("the two running jobs finished").hasSize(2)
                    .allSatisfy((id, result) -> assertThat(result.success()).isTrue());
            assertThat(RabbitMq.messageCount(amqp.labelQueue("linux"))).as("everything else is back in the label's queue")
                    .isEqualTo(6);
            assertThat(daemon.log()).contains("handed back to queue");

            // another orchestrator takes the rest: every job ends in exactly one result
            startDaemon("second", "--max-concurrency", "4", "--noop-run-time", "100ms");
            for (UUID id : ids) {
                assertThat(client.awaitResult(id, Duration.ofSeconds(30))).as("result for " + id).isPresent();
            }
            await("no second result for any job, for 500 ms").during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(client.resultCounts()).hasSize(8)
                            .allSatisfy((id, n) -> assertThat(n).isEqualTo(1)));
        }
    }

    @Test
    void jobsOutlastingTheDrainAreCancelledWithAResultAndTheDaemonStillExitsZero() throws Exception {
        Process process = startDaemon("first", "--max-concurrency", "2", "--noop-run-time", "10m", "--drain-timeout", "1s",
                "--shutdown-timeout", "2s").process();
        daemon.awaitReady();
        try (JobClient client = new JobClient(amqp)) {
            client.watchResults();
            JobRequest first = aJob().build();
            JobRequest second = aJob().build();
            client.publish(first);
            client.publish(second);
            StoredJobs.awaitExactly(stateDir(), Map.of(JobState.RUNNING, 2), daemon::isAlive);

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
