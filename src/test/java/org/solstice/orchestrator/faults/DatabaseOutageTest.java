package org.solstice.orchestrator.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.solstice.orchestrator.testing.JobRequests.aJob;

import java.net.URI;
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
import org.solstice.orchestrator.store.JobState;
import org.solstice.orchestrator.testing.NoopDaemonHarness;
import org.solstice.orchestrator.testing.NoopDaemons;
import org.solstice.orchestrator.testing.Postgres;
import org.solstice.orchestrator.testing.RabbitMq;
import org.solstice.orchestrator.testing.StoredJobs;
import org.solstice.orchestrator.testing.TcpProxy;

/**
 * PostgreSQL goes away mid-run (every connection dropped and new ones refused, through a proxy, so the shared
 * server keeps serving other tests): the daemon stops accepting, acks nothing it could not store, and carries
 * on when the database is back.
 */
class DatabaseOutageTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final NoopDaemons daemons = new NoopDaemons();

    private NoopDaemonHarness harness;


    @Test
    void whileTheDatabaseIsAwayNothingIsAckedAndEverythingRunsWhenItReturns() throws Exception {
        DatabaseUrl database = Postgres.freshSchema();
        URI pg = URI.create(database.jdbcUrl().substring("jdbc:".length()));
        try (TcpProxy proxy = new TcpProxy(pg.getHost(), pg.getPort()).start()) {
            DatabaseUrl viaProxy = Postgres.viaPort(database, proxy.port());
            harness = daemons.in(dir).maxConcurrency(2).runTime(Duration.ofMillis(1500))
                    .databaseUrl(viaProxy.jdbcUrl() + "&user=" + viaProxy.user());
            harness.start();
            JobClient client = harness.client();
            List<UUID> before = publish(client, 2);
            StoredJobs.await(database, null, "the first two jobs to run",
                    counts -> counts.getOrDefault(JobState.RUNNING, 0) == 2, () -> true);

            proxy.stop();
            List<UUID> during = publish(client, 6);

            // at most the prefetch (2) is held by the daemon, unacknowledged; the rest waits in the label's queue
            await("the jobs published during the outage to wait in the label's queue").atMost(Duration.ofSeconds(30))
                    .until(() -> RabbitMq.messageCount(harness.amqp().labelQueue("linux")) >= 4);
            await("no result, for 5 s, for a job published while the store is away").during(Duration.ofSeconds(5))
                    .atMost(Duration.ofSeconds(15))
                    .untilAsserted(() -> assertThat(client.results().keySet())
                            .as("no job accepted while the store is away has a result")
                            .doesNotContainAnyElementsOf(during));
            assertThat(RabbitMq.messageCount(harness.amqp().labelQueue("linux"))).isGreaterThanOrEqualTo(4);

            proxy.start();

            List<UUID> all = new ArrayList<>(before);
            all.addAll(during);
            for (UUID id : all) {
                assertThat(client.awaitResult(id, Duration.ofSeconds(90))).as("result for " + id).isPresent()
                        .hasValueSatisfying(r -> assertThat(r.success()).isTrue());
            }
            await("no second result for any job, for 1.5 s").during(Duration.ofMillis(1500))
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(client.resultCounts()).hasSize(8)
                            .allSatisfy((id, n) -> assertThat(n).isEqualTo(1)));
            assertThat(RabbitMq.messageCount(harness.amqp().labelQueue("linux"))).isZero();
        }
    }

    private static List<UUID> publish(JobClient client, int n) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            JobRequest job = aJob().build();
            client.publish(job);
            ids.add(job.requestId());
        }
        return ids;
    }
}
