package org.solstice.orchestrator.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.solstice.orchestrator.testing.JobRequests.aJob;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.messaging.JobClient;
import org.solstice.orchestrator.messaging.JobRequest;
import org.solstice.orchestrator.store.DatabaseUrl;
import org.solstice.orchestrator.store.JobRecord;
import org.solstice.orchestrator.store.JobState;
import org.solstice.orchestrator.testing.NoopDaemonHarness;
import org.solstice.orchestrator.testing.NoopDaemons;
import org.solstice.orchestrator.testing.StoredJobs;
import org.solstice.orchestrator.testing.TcpProxy;

/**
 * The broker goes away mid-run, as far as the daemon can tell (every connection dropped and new ones refused for
 * several seconds, through a proxy: the shared broker itself keeps running for other tests): no job lost, none
 * run twice, no result lost or duplicated.
 */
class BrokerOutageTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final NoopDaemons daemons = new NoopDaemons();

    private NoopDaemonHarness harness;


    @Test
    void anOutageMidRunLosesAndDuplicatesNothing() throws Exception {
        try (TcpProxy proxy = TcpProxy.toBroker().start()) {
            harness = daemons.in(dir).maxConcurrency(3).maxPending(3).runTime(Duration.ofSeconds(2))
                    .daemonAmqpUri(proxy.amqpUri());
            harness.start();
            JobClient client = harness.client();
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                JobRequest job = aJob().build();
                client.publish(job);
                ids.add(job.requestId());
            }
            StoredJobs.await(harness.dir().resolve("state"), "three jobs to run before the outage",
                    counts -> counts.getOrDefault(JobState.RUNNING, 0) == 3);

            proxy.stop(); // jobs keep running; their results wait in the outbox
            // the daemon's six jobs (three running, three accepted) all end while the broker is away
            StoredJobs.awaitJobs(DatabaseUrl.parse(null, harness.dir().resolve("state")),
                    "six jobs to finish with their results waiting in the outbox",
                    jobs -> jobs.stream().filter(job -> job.state() == JobState.FINISHED && !job.resultPublished())
                            .count() >= 6, () -> true);
            proxy.start();

            for (UUID id : ids) {
                assertThat(client.awaitResult(id, Duration.ofSeconds(90))).as("result for " + id).isPresent()
                        .hasValueSatisfying(r -> assertThat(r.success()).isTrue());
            }
            await("no second result for any job, for 2 s").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(client.resultCounts()).hasSize(12)
                            .allSatisfy((id, n) -> assertThat(n).isEqualTo(1)));
            for (UUID id : ids) {
                JobRecord record = harness.storedJob(id).orElseThrow();
                assertThat(record.attempts()).as("job " + id + " ran once").isEqualTo(1);
                assertThat(record.resultPublished()).isTrue();
            }
        }
    }
}
