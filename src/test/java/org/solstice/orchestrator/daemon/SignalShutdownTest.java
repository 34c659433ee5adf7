package org.solstice.orchestrator.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.solstice.orchestrator.testing.JobRequests.aJob;

import java.io.IOException;
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
import org.solstice.orchestrator.testing.DaemonProcess;
import org.solstice.orchestrator.testing.RabbitMq;

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

    private DaemonProcess startDaemon(String name, String... extra) throws IOException {
        List<String> options = new ArrayList<>(List.of("--hypervisor", "noop", "--state-dir",
                dir.resolve("state").toString()));
        options.addAll(List.of(extra));
        daemon = DaemonProcess.start(dir, name, amqp, options.toArray(String[]::new));
        return daemon;
    }

    @Test
    void sigtermDrainsRunningJobsHandsBackTheRestAndExitsZero() throws Exception {
        Process process = startDaemon("first", "--max-concurrency", "2", "--max-pending", "2", "--noop-run-time", "4s",
                "--drain-timeout", "60s").process();
        daemon.awaitLog("ready in", 1);
        try (JobClient client = new JobClient(amqp)) {
            client.watchResults();
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                JobRequest job = aJob().build();
                client.publish(job);
                ids.add(job.requestId());
            }
            daemon.awaitLog("started", 2);
            daemon.awaitLog("accepted", 4);

            process.destroy(); // SIGTERM

            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited after draining").isTrue();
            assertThat(process.exitValue()).isZero();
            Thread.sleep(500);
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
            Thread.sleep(500);
            assertThat(client.resultCounts()).hasSize(8).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
        }
    }

    @Test
    void jobsOutlastingTheDrainAreCancelledWithAResultAndTheDaemonStillExitsZero() throws Exception {
        Process process = startDaemon("first", "--max-concurrency", "2", "--noop-run-time", "10m", "--drain-timeout", "1s",
                "--shutdown-timeout", "2s").process();
        daemon.awaitLog("ready in", 1);
        try (JobClient client = new JobClient(amqp)) {
            client.watchResults();
            JobRequest first = aJob().build();
            JobRequest second = aJob().build();
            client.publish(first);
            client.publish(second);
            daemon.awaitLog("started", 2);

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
