package org.solstice.orchestrator.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.solstice.orchestrator.testing.JobRequests.aJob;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.messaging.AmqpSettings;
import org.solstice.orchestrator.messaging.JobClient;
import org.solstice.orchestrator.messaging.JobRequest;
import org.solstice.orchestrator.messaging.JobResult;
import org.solstice.orchestrator.store.DatabaseUrl;
import org.solstice.orchestrator.store.JobState;
import org.solstice.orchestrator.testing.DaemonProcess;
import org.solstice.orchestrator.testing.Postgres;
import org.solstice.orchestrator.testing.RabbitMq;
import org.solstice.orchestrator.testing.StoredJobs;

/**
 * Several daemon processes on one broker and one PostgreSQL, each with its own image map, capacities, state
 * directory and instance id: every job runs once, on a host that serves its label, within every host's and
 * label's limits; a label nobody serves is dead-lettered with a result; a killed host loses nothing.
 */
class ScaleOutTest {
    private static final String UBUNTU_AND_FEDORA = """
            default_label: ubuntu
            aliases:
              ubuntu: ubuntu-22.04
            images:
              ubuntu-22.04:
                source: file:///nonexistent/ubuntu.qcow2
                local_path: ubuntu.qcow2
              fedora-40:
                source: file:///nonexistent/fedora.qcow2
                local_path: fedora.qcow2
            """;
    private static final String UBUNTU = """
            default_label: ubuntu
            aliases:
              ubuntu: ubuntu-22.04
            images:
              ubuntu-22.04:
                source: file:///nonexistent/ubuntu.qcow2
                local_path: ubuntu.qcow2
            """;
    private static final String ILLUMOS = """
            default_label: illumos
            images:
              illumos:
                source: file:///nonexistent/oi.img
                local_path: oi.img
            """;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    private final AmqpSettings amqp = RabbitMq.uniqueSettings(2);
    private final DatabaseUrl database = Postgres.freshSchema();
    private final List<DaemonProcess> hosts = new ArrayList<>();

    @AfterEach
    void tearDown() throws InterruptedException {
        for (DaemonProcess host : hosts) {
            host.close();
        }
        RabbitMq.deleteTopology(amqp, "fedora-40", "ubuntu");
    }

    private DaemonProcess host(String name, String map, String... options) throws Exception {
        Path home = dir.resolve(name);
        Files.createDirectories(home);
        Files.writeString(home.resolve("map.yaml"), map);
        List<String> all = new ArrayList<>(List.of("--hypervisor", "noop", "--instance-id", name,
                "--state-dir", home.resolve("state").toString(), "--reconcile-interval", "2s",
                "--database-url", database.jdbcUrl() + "&user=" + database.user()));
        all.addAll(List.of(options));
        DaemonProcess host = DaemonProcess.start(home, name, amqp, all.toArray(String[]::new));
        hosts.add(host);
        host.awaitReady();
        return host;
    }

    @Test
    void everyJobRunsOnceOnAHostThatServesItsLabelWithinEveryLimit() throws Exception {
        host("host-a", UBUNTU_AND_FEDORA, "--max-concurrency", "3", "--capacity-map", "fedora-40=1",
                "--noop-run-time", "400ms");
        host("host-b", UBUNTU, "--max-concurrency", "2", "--noop-run-time", "400ms");
        host("host-c", ILLUMOS, "--max-concurrency", "2", "--noop-run-time", "400ms");

        try (JobClient client = new JobClient(amqp)) {
            client.watchResults();
            Map<UUID, String> served = new HashMap<>();
            List<UUID> unserved = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                served.put(publish(client, aJob().runsOn(i % 2 == 0 ? "ubuntu" : "ubuntu-22.04").build()), "ubuntu");
                served.put(publish(client, aJob().runsOn("illumos").build()), "illumos");
                if (i < 8) {
                    served.put(publish(client, aJob().runsOn("fedora-40").build()), "fedora");
                }
                if (i < 2) {
                    unserved.add(publish(client, aJob().runsOn("windows-2022").build()));
                }
            }

            for (UUID id : served.keySet()) {
                assertThat(client.awaitResult(id, Duration.ofSeconds(90))).as("result for " + id).isPresent()
                        .hasValueSatisfying(r -> assertThat(r.success()).as(r.summary()).isTrue());
            }
            for (UUID id : unserved) {
                JobResult result = client.awaitResult(id, Duration.ofSeconds(30)).orElseThrow();
                assertThat(result.success()).isFalse();
                assertThat(result.summary()).contains("no orchestrator serves runs_on label 'windows-2022'");
            }
            await("no second result for any job, for 1 s").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(client.resultCounts()).hasSize(served.size() + unserved.size())
                            .allSatisfy((id, n) -> assertThat(n).as("results for " + id).isEqualTo(1)));
            assertThat(RabbitMq.messageCount(amqp.deadLetterQueue())).isEqualTo(unserved.size());
        }

        List<Run> runs = runs();
        assertThat(runs).hasSize(12 + 12 + 8);
        Map<String, Set<String>> servers = Map.of("ubuntu-22.04", Set.of("host-a", "host-b"),
                "fedora-40", Set.of("host-a"), "illumos", Set.of("host-c"));
        assertThat(runs).allSatisfy(run -> assertThat(servers.get(run.image())).as(run.toString())
                .contains(run.instance()));
        assertThat(runs.stream().filter(r -> r.image().equals("ubuntu-22.04")).map(Run::instance).distinct())
                .as("the ubuntu backlog is shared by both hosts that serve it")
                .containsExactlyInAnyOrder("host-a", "host-b");

        assertThat(maxAtOnce(runs, r -> r.instance().equals("host-a"))).isBetween(2, 3);
        assertThat(maxAtOnce(runs, r -> r.instance().equals("host-b"))).isBetween(1, 2);
        assertThat(maxAtOnce(runs, r -> r.instance().equals("host-c"))).isBetween(1, 2);
        assertThat(maxAtOnce(runs, r -> r.image().equals("fedora-40"))).as("fedora-40's capacity on host-a")
                .isEqualTo(1);
        assertThat(overlaps(runs, "host-a", "fedora-40", "ubuntu-22.04"))
                .as("host-a ran ubuntu jobs while its fedora-40 label was at capacity").isTrue();
    }

    @Test
    void aKilledHostLosesNothingItsAcceptedJobsEndAfterItsRestartAndTheRestFlowToTheOthers() throws Exception {
        host("host-a", UBUNTU, "--max-concurrency", "2", "--noop-run-time", "1500ms");
        String[] bOptions = {"--max-concurrency", "2", "--max-pending", "2", "--noop-run-time", "1500ms"};
        DaemonProcess b = host("host-b", UBUNTU, bOptions);

        try (JobClient client = new JobClient(amqp)) {
            client.watchResults();
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                ids.add(publish(client, aJob().runsOn("ubuntu").build()));
            }
            StoredJobs.await(database, "host-b", "host-b to run two jobs",
                    counts -> counts.getOrDefault(JobState.RUNNING, 0) == 2, b::isAlive);
            b.kill();
            long killedAt = System.currentTimeMillis();
            assertThat(client.resultCounts().size()).as("most jobs are still to run when host-b dies")
                    .isLessThan(8);

            await("host-a to start a job after host-b died").atMost(Duration.ofSeconds(30))
                    .until(() -> runs().stream()
                            .anyMatch(r -> r.instance().equals("host-a") && r.startedAt() > killedAt));
            host("host-b", UBUNTU, bOptions);

            for (UUID id : ids) {
                assertThat(client.awaitResult(id, Duration.ofSeconds(120))).as("result for " + id).isPresent()
                        .hasValueSatisfying(r -> assertThat(r.success()).as(r.summary()).isTrue());
            }
            await("no second result for any job, for 1.5 s").during(Duration.ofMillis(1500))
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(client.resultCounts()).hasSize(16)
                            .allSatisfy((id, n) -> assertThat(n).isEqualTo(1)));

            List<Run> runs = runs();
            assertThat(runs).hasSize(16);
            assertThat(runs).filteredOn(r -> r.instance().equals("host-a") && r.startedAt() > killedAt)
                    .as("jobs flowed to host-a while host-b was away").isNotEmpty();
            assertThat(runs).filteredOn(r -> r.instance().equals("host-b") && r.attempts() > 1)
                    .as("host-b's jobs that died with it ran again after its restart").isNotEmpty();
            assertThat(runs).allSatisfy(r -> assertThat(r.finishedAt()).as(r.toString()).isPositive());
        }
    }

    private static UUID publish(JobClient client, JobRequest job) {
        client.publish(job);
        return job.requestId();
    }

    record Run(String id, String instance, String image, int attempts, long startedAt, long finishedAt) {
    }

    private List<Run> runs() throws Exception {
        List<Run> runs = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT request_id, instance_id, image, attempts, started_at, finished_at"
                     + " FROM jobs")) {
            while (rs.next()) {
                runs.add(new Run(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getLong(5),
                        rs.getLong(6)));
            }
        }
        return runs;
    }

    /** The most runs (matching {@code which}) in progress at one moment; a run ending at t ends before one starts. */
    private static int maxAtOnce(List<Run> runs, java.util.function.Predicate<Run> which) {
        List<long[]> events = new ArrayList<>();
        for (Run r : runs) {
            if (which.test(r)) {
                events.add(new long[] {r.startedAt(), 1});
                events.add(new long[] {r.finishedAt(), -1});
            }
        }
        events.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
        int now = 0;
        int max = 0;
        for (long[] e : events) {
            now += (int) e[1];
            max = Math.max(max, now);
        }
        return max;
    }

    private static boolean overlaps(List<Run> runs, String instance, String imageA, String imageB) {
        for (Run a : runs) {
            for (Run b : runs) {
                if (a.instance().equals(instance) && b.instance().equals(instance) && a.image().equals(imageA)
                        && b.image().equals(imageB) && a.startedAt() < b.finishedAt() && b.startedAt() < a.finishedAt()) {
                    return true;
                }
            }
        }
        return false;
    }
}
