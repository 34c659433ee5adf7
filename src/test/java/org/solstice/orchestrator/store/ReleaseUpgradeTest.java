package org.solstice.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.testing.Postgres;

/**
 * Stores written by the last release before Flyway (the hand-written migration runner, commit b862a67), opened by
 * this code: the jobs and results they hold survive and the store goes on working. The fixtures under
 * {@code upgrade/before-flyway/} were
 * made by that release; {@code MakeReleaseFixtures.java} beside them says how.
 */
class ReleaseUpgradeTest {
    private static final String FIXTURES = "/upgrade/before-flyway/";
    private static final String INSTANCE = "release-host";
    private static final String DUMPED_SCHEMA = "solstice_release_fixture";

    @TempDir
    Path dir;

    @Test
    void anEmbeddedStoreOfTheLastReleaseIsUpgradedInPlace() throws Exception {
        copyResource(FIXTURES + "jobstore.mv.db", dir.resolve("jobstore.mv.db"));
        DatabaseUrl url = DatabaseUrl.parse(null, dir);

        try (JobStore store = JdbcJobStore.open(url)) {
            assertTheReleaseJobsSurvived(store);
            assertItGoesOnWorking(store);
        }
        try (JobStore reopened = JdbcJobStore.open(url)) {
            assertThat(reopened.unpublished(INSTANCE)).extracting(JobRecord::requestId).containsExactly(job(3));
        }
        assertThat(history(url)).as("adopted at the version it was at, its script not run again")
                .containsExactly("1 BASELINE");
    }

    @Test
    void aPostgresSchemaOfTheLastReleaseIsUpgradedInPlace() throws Exception {
        DatabaseUrl url = releaseSchema();

        try (JobStore store = JdbcJobStore.open(url)) {
            assertTheReleaseJobsSurvived(store);
            assertItGoesOnWorking(store);
        }
        try (JobStore reopened = JdbcJobStore.open(url)) {
            assertThat(reopened.unpublished(INSTANCE)).extracting(JobRecord::requestId).containsExactly(job(3));
        }
        assertThat(history(url)).containsExactly("1 BASELINE");
    }

    @Test
    void hostsStartingAtOnceOnAReleaseSchemaAdoptItOnce() throws Exception {
        DatabaseUrl url = releaseSchema();

        openAtOnce(url, 3);

        assertThat(history(url)).containsExactly("1 BASELINE");
        try (JobStore store = JdbcJobStore.open(url)) {
            assertTheReleaseJobsSurvived(store);
        }
    }

    @Test
    void hostsStartingAtOnceOnAnEmptySchemaCreateItOnce() throws Exception {
        DatabaseUrl url = Postgres.freshSchema();

        openAtOnce(url, 3);

        assertThat(history(url)).containsExactly("1 SQL");
    }

    @Test
    void aDatabaseHoldingTablesOfSomethingElseIsLeftAlone() throws Exception {
        DatabaseUrl url = DatabaseUrl.parse(null, dir);
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)");
        }

        assertThatThrownBy(() -> JdbcJobStore.open(url)).isInstanceOf(StoreException.class)
                .hasMessageContaining("up to date")
                .matches(e -> !((StoreException) e).isUnavailable(), "is not about reachability");
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
             ResultSet rs = c.getMetaData().getTables(null, null, "JOBS", null)) {
            assertThat(rs.next()).as("a jobs table made in someone else's database").isFalse();
        }
    }

    /** The six jobs the release before Flyway wrote, one in each state a store holds across an upgrade (see the fixture maker). */
    private static void assertTheReleaseJobsSurvived(JobStore store) {
        assertThat(store.unfinished(INSTANCE)).extracting(JobRecord::requestId)
                .containsExactly(job(1), job(2), job(3), job(6));
        assertThat(store.unpublished(INSTANCE)).extracting(JobRecord::requestId).containsExactly(job(4));
        assertThat(store.vms(INSTANCE)).extracting(VmRecord::name)
                .containsExactly("job-" + job(2), "job-" + job(3));

        JobRecord running = store.find(job(3)).orElseThrow();
        assertThat(running.state()).isEqualTo(JobState.RUNNING);
        assertThat(running.label()).isEqualTo("windows");
        assertThat(running.image()).isEqualTo("windows-image");
        assertThat(running.requestJson()).isEqualTo("{\"request_id\":\"" + job(3) + "\",\"runs_on\":\"windows\"}");
        assertThat(running.acceptedAt()).isEqualTo(Instant.ofEpochMilli(1_790_000_003_000L));
        assertThat(running.startedAt()).isNotNull();
        assertThat(running.attempts()).isEqualTo(1);

        JobRecord published = store.find(job(5)).orElseThrow();
        assertThat(published.state()).isEqualTo(JobState.FINISHED);
        assertThat(published.outcome()).isEqualTo("FAILURE");
        assertThat(published.resultJson()).isEqualTo("{\"request_id\":\"" + job(5) + "\",\"success\":false}");
        assertThat(published.resultPublished()).isTrue();
        assertThat(published.finishedAt()).isNotNull();

        JobRecord again = store.find(job(6)).orElseThrow();
        assertThat(again.state()).isEqualTo(JobState.ACCEPTED);
        assertThat(again.attempts()).as("run again here after one attempt").isEqualTo(1);
        assertThat(store.find(job(4)).orElseThrow().outcome()).isEqualTo("SUCCESS");
    }

    /** Accept, run, finish and relay (the outbox) on the upgraded schema, old jobs and new side by side. */
    private static void assertItGoesOnWorking(JobStore store) {
        assertThat(store.accept(oldJob(1))).as("a duplicate of a job the old release accepted").isFalse();
        UUID fresh = UUID.randomUUID();
        assertThat(store.accept(new JobRecord(fresh, INSTANCE, "linux", "linux-image", "{}", JobState.ACCEPTED, 0,
                Instant.now(), null, null, null, null, false))).isTrue();

        store.finish(job(3), "SUCCESS", "{\"success\":true}");
        store.vmGone("job-" + job(3));
        store.resultPublished(job(4));
        store.retry(job(2));
        store.vmGone("job-" + job(2));

        assertThat(store.unpublished(INSTANCE)).extracting(JobRecord::requestId).containsExactly(job(3));
        assertThat(store.unfinished(INSTANCE)).extracting(JobRecord::requestId)
                .containsExactly(job(1), job(2), job(6), fresh);
        assertThat(store.vms(INSTANCE)).isEmpty();
        assertThat(store.find(job(2)).orElseThrow().state()).isEqualTo(JobState.ACCEPTED);
    }

    private static UUID job(int n) {
        return UUID.fromString("00000000-0000-4000-8000-00000000000" + n);
    }

    private static JobRecord oldJob(int n) {
        return new JobRecord(job(n), INSTANCE, "linux", "linux-image", "{}", JobState.ACCEPTED, 0,
                Instant.ofEpochMilli(1_790_000_000_000L + n * 1000L), null, null, null, null, false);
    }

    /** A fresh PostgreSQL schema loaded from the old release's dump. */
    private static DatabaseUrl releaseSchema() throws IOException, SQLException {
        DatabaseUrl url = Postgres.freshSchema();
        String schema = url.jdbcUrl().substring(url.jdbcUrl().indexOf("currentSchema=") + "currentSchema=".length());
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
             Statement st = c.createStatement()) {
            for (String sql : dumpStatements(readResource(FIXTURES + "postgres.sql"))) {
                st.execute(sql.replace(DUMPED_SCHEMA + ".", schema + "."));
            }
        }
        return url;
    }

    /** The SQL statements of a plain pg_dump, without psql's commands and the schema it was taken from. */
    private static List<String> dumpStatements(String dump) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : dump.split("\n")) {
            if (line.startsWith("--") || line.startsWith("\\") || line.isBlank()) {
                continue;
            }
            current.append(line).append('\n');
            if (line.endsWith(";")) {
                String sql = current.toString().strip();
                current.setLength(0);
                if (!sql.startsWith("CREATE SCHEMA ")) {
                    out.add(sql);
                }
            }
        }
        return out;
    }

    private static void openAtOnce(DatabaseUrl url, int hosts) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(hosts);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<CompletableFuture<Void>> starts = new ArrayList<>();
            for (int i = 0; i < hosts; i++) {
                starts.add(CompletableFuture.runAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                    JdbcJobStore.open(url).close();
                }, pool));
            }
            go.countDown();
            CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Flyway's versioned history as "version type", in order (H2 also records that it made the table). */
    private static List<String> history(DatabaseUrl url) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT \"version\", \"type\" FROM \"flyway_schema_history\""
                     + " WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2));
            }
        }
        return rows;
    }

    private static String readResource(String name) throws IOException {
        try (InputStream in = ReleaseUpgradeTest.class.getResourceAsStream(name)) {
            assertThat(in).as("test resource %s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void copyResource(String name, Path to) throws IOException {
        try (InputStream in = ReleaseUpgradeTest.class.getResourceAsStream(name)) {
            assertThat(in).as("test resource %s", name).isNotNull();
            Files.copy(in, to);
        }
    }
}
