package org.solstice.orchestrator.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.solstice.orchestrator.testing.JobRequests.aJob;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.messaging.AmqpSettings;
import org.solstice.orchestrator.messaging.JobClient;
import org.solstice.orchestrator.messaging.JobRequest;
import org.solstice.orchestrator.store.DatabaseUrl;
import org.solstice.orchestrator.store.JdbcJobStore;
import org.solstice.orchestrator.store.JobStore;
import org.solstice.orchestrator.testing.DaemonProcess;
import org.solstice.orchestrator.testing.RabbitMq;

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
                first.awaitLog("ready in", 1);
                for (int i = 0; i < 6; i++) {
                    JobRequest job = aJob().build();
                    client.publish(job);
                    ids.add(job.requestId());
                }
                first.awaitLog("started", 2);
                first.awaitLog("accepted", 4);

                first.kill();
            }
            assertThat(client.results()).as("nothing finished before the crash").isEmpty();

            try (DaemonProcess second = DaemonProcess.start(dir, "second", amqp, options("500ms"))) {
                for (UUID id : ids) {
                    assertThat(client.awaitResult(id, Duration.ofSeconds(60))).as("result for " + id).isPresent()
                            .hasValueSatisfying(r -> assertThat(r.success()).isTrue());
                }
                Thread.sleep(1500);
                assertThat(client.resultCounts()).hasSize(6).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
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
