package org.solstice.orchestrator.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;

/**
 * Kept with the fixtures it made, not compiled: how the last release before Flyway wrote the stores in this folder.
 * Copy it into src/test/java/org/solstice/orchestrator/store/ of a checkout of that release (commit b862a67), run
 * {@code mvn -o -q test -Dtest=MakeReleaseFixtures -Dfixtures.out=DIR}; it writes DIR/jobstore.mv.db (H2) and
 * fills the PostgreSQL schema solstice_release_fixture of database test, which is then dumped with
 * {@code pg_dump -h 127.0.0.1 -U postgres -d test -n solstice_release_fixture --no-owner --no-privileges --inserts}.
 */
class MakeReleaseFixtures {
    static final String INSTANCE = "release-host";
    static final String SCHEMA = "solstice_release_fixture";

    @org.junit.jupiter.api.Test
    void make() throws Exception {
        Path out = Path.of(System.getProperty("fixtures.out"));
        Files.createDirectories(out);
        try (JobStore h2 = JdbcJobStore.open(DatabaseUrl.parse(null, out))) {
            fill(h2);
        }
        String base = "jdbc:postgresql://127.0.0.1:5432/test";
        try (Connection c = DriverManager.getConnection(base, "postgres", null); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            st.execute("CREATE SCHEMA " + SCHEMA);
        }
        try (JobStore pg = JdbcJobStore.open(new DatabaseUrl(base + "?currentSchema=" + SCHEMA, "postgres", null))) {
            fill(pg);
        }
    }

    /** One job in every state a store can hold across an upgrade. */
    static void fill(JobStore store) {
        JobRecord waiting = job(1, "linux");
        store.accept(waiting);

        JobRecord provisioning = job(2, "linux");
        store.accept(provisioning);
        store.provisioning(provisioning.requestId(), vm(provisioning));

        JobRecord running = job(3, "windows");
        store.accept(running);
        store.provisioning(running.requestId(), vm(running));
        store.running(running.requestId());

        JobRecord unpublished = job(4, "linux");
        store.accept(unpublished);
        store.provisioning(unpublished.requestId(), vm(unpublished));
        store.running(unpublished.requestId());
        store.finish(unpublished.requestId(), "SUCCESS", "{\"request_id\":\"" + unpublished.requestId()
                + "\",\"success\":true}");
        store.vmGone(vm(unpublished).name());

        JobRecord published = job(5, "linux");
        store.accept(published);
        store.provisioning(published.requestId(), vm(published));
        store.running(published.requestId());
        store.finish(published.requestId(), "FAILURE", "{\"request_id\":\"" + published.requestId()
                + "\",\"success\":false}");
        store.resultPublished(published.requestId());
        store.vmGone(vm(published).name());

        JobRecord runAgain = job(6, "linux");
        store.accept(runAgain);
        store.provisioning(runAgain.requestId(), vm(runAgain));
        store.requeue(runAgain.requestId());
        store.vmGone(vm(runAgain).name());
    }

    static JobRecord job(int n, String label) {
        UUID id = UUID.fromString("00000000-0000-4000-8000-00000000000" + n);
        return new JobRecord(id, INSTANCE, label, label + "-image", "{\"request_id\":\"" + id + "\",\"runs_on\":\""
                + label + "\"}", JobState.ACCEPTED, 0, Instant.ofEpochMilli(1_790_000_000_000L + n * 1000L), null,
                null, null, null, false);
    }

    static VmRecord vm(JobRecord job) {
        return new VmRecord("job-" + job.requestId(), job.requestId(), INSTANCE, "noop",
                Path.of("/var/lib/solstice/jobs/" + job.requestId()),
                Path.of("/var/lib/solstice/jobs/" + job.requestId() + "/console.log"), "defined",
                Instant.ofEpochMilli(1_790_000_100_000L));
    }
}
