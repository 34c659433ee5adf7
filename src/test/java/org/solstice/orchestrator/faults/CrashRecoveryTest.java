package org.solstice.orchestrator.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.solstice.orchestrator.testing.JobRequests.aJob;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.messaging.AmqpSettings;
import org.solstice.orchestrator.messaging.JobClient;
import org.solstice.orchestrator.messaging.JobRequest;
import org.solstice.orchestrator.store.DatabaseUrl;
import org.solstice.orchestrator.store.JdbcJobStore;
import org.solstice.orchestrator.store.JobState;
import org.solstice.orchestrator.store.JobStore;
import org.solstice.orchestrator.testing.DaemonProcess;
import org.solstice.orchestrator.testing.RabbitMq;
import org.solstice.orchestrator.testing.StoredJobs;

/** kill -9 the daemon mid-run and start it again: nothing lost, nothing run twice, nothing left behind. */
class CrashRecoveryTest {
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    private final AmqpSettings amqp = RabbitMq.uniqueSettings(2);

    @AfterEach
    void tearDown() {
        RabbitMq.deleteTopology(amqp);
    }

    private String[] options(String runTime) {
        return new String[] {"--hypervisor", "noop", "--noop-run-time", runTime, "--max-concurrency", "2",
            "--max-pending", "2", "--state-dir", dir.resolve("state").toString(), "--instance-id", "crash-host",
            "--reconcile-interval", "2s"};
    }

    @Test
    void killedWhileJobsRunAndWaitTheRestartEndsEveryJobInExactlyOneResult() throws Exception {
        try (JobClient client = new JobClient(amqp)) {
            client.watchResults();
            List<UUID> ids = new ArrayList<>();
            try (DaemonProcess first = DaemonProcess.start(dir, "first", amqp, options("30s"))) {
                first.awaitReady();
                for (int i = 0; i < 6; i++) {
                    JobRequest job = aJob().build();
                    client.publish(job);
                    ids.add(job.requestId());
                }
                // docs/reliability.md's set-up: 2 running, 2 accepted and waiting (the other 2 stay in the broker)
                StoredJobs.awaitExactly(dir.resolve("state"), Map.of(JobState.RUNNING, 2, JobState.ACCEPTED, 2),
                        first::isAlive);

                first.kill();
            }
            assertThat(client.results()).as("nothing finished before the crash").isEmpty();

            try (DaemonProcess second = DaemonProcess.start(dir, "second", amqp, options("500ms"))) {
                for (UUID id : ids) {
                    assertThat(client.awaitResult(id, Duration.ofSeconds(60))).as("result for " + id).isPresent()
                            .hasValueSatisfying(r -> assertThat(r.success()).isTrue());
                }
                await("no second result for any job, for 1.5 s").during(Duration.ofMillis(1500))
                        .atMost(Duration.ofSeconds(10))
                        .untilAsserted(() -> assertThat(client.resultCounts()).hasSize(6)
                                .allSatisfy((id, n) -> assertThat(n).isEqualTo(1)));
                String log = second.log();
                assertThat(log).contains("did not survive the restart; running it again (attempt 2 of 3)")
                        .contains("accepted before the restart and not started");
                assertThat(second.stop()).isZero();
            }
        }
        try (JobStore store = JdbcJobStore.open(DatabaseUrl.parse(null, dir.resolve("state")))) {
            assertThat(store.unfinished("crash-host")).as("capacity back to zero: no job left in flight").isEmpty();
            assertThat(store.unpublished("crash-host")).isEmpty();
            assertThat(store.vms("crash-host")).isEmpty();
        }
        try (var left = Files.list(dir.resolve("state/jobs"))) {
            assertThat(left.toList()).as("no job directory left").isEmpty();
        }
    }
}
