package org.solstice.orchestrator.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.solstice.orchestrator.store.DatabaseUrl;
import org.solstice.orchestrator.store.JdbcJobStore;
import org.solstice.orchestrator.store.JobRecord;
import org.solstice.orchestrator.store.JobState;
import org.solstice.orchestrator.store.JobStore;

/**
 * The jobs daemons recorded in their store, read the way {@code orchestrator jobs list} reads them while a daemon
 * runs (the embedded H2 store under a state directory, or a shared PostgreSQL): a test waits on these facts, not on
 * log lines.
 */
public final class StoredJobs {
    private static final int ALL = 10_000;
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private StoredJobs() {
    }

    /**
     * Waits (60 s at most) until the embedded store under {@code stateDir} holds exactly these numbers of jobs per
     * state (states not named: none), failing at once when {@code stillAlive} turns false (the daemon exited).
     */
    public static void awaitExactly(Path stateDir, Map<JobState, Integer> expected, Callable<Boolean> stillAlive) {
        Map<JobState, Integer> wanted = new EnumMap<>(expected);
        await(DatabaseUrl.parse(null, stateDir), null, "exactly " + wanted + " jobs in the store under " + stateDir,
                wanted::equals, stillAlive);
    }

    /** The same, for a daemon in this process (it cannot exit under the test). */
    public static void awaitExactly(Path stateDir, Map<JobState, Integer> expected) {
        awaitExactly(stateDir, expected, () -> true);
    }

    /**
     * Waits (60 s at most) until the jobs of {@code instanceId} (null: of every instance) in the store at
     * {@code database}, counted by state, are what {@code counts} accepts; fails at once when {@code stillAlive}
     * turns false.
     */
    public static void await(DatabaseUrl database, String instanceId, String what,
            Predicate<Map<JobState, Integer>> counts, Callable<Boolean> stillAlive) {
        awaitJobs(database, what, jobs -> counts.test(countByState(jobs, instanceId)), stillAlive);
    }

    /** The same, for the embedded store of a daemon in this process (it cannot exit under the test). */
    public static void await(Path stateDir, String what, Predicate<Map<JobState, Integer>> counts) {
        await(DatabaseUrl.parse(null, stateDir), null, what, counts, () -> true);
    }

    /**
     * Waits (60 s at most) until the jobs in the store at {@code database} (every instance's, newest first) are what
     * {@code jobs} accepts; fails at once when {@code stillAlive} turns false.
     */
    public static void awaitJobs(DatabaseUrl database, String what, Predicate<List<JobRecord>> jobs,
            Callable<Boolean> stillAlive) {
        try (JobStore store = JdbcJobStore.open(database)) {
            Awaitility.await(what)
                    .atMost(DEADLINE)
                    .pollInterval(Duration.ofMillis(50))
                    .failFast("the daemon exited", () -> !stillAlive.call())
                    .until(() -> store.recent(ALL), jobs);
        }
    }

    /** How many of {@code jobs} of {@code instanceId} (null: all) are in each state (states without jobs left out). */
    public static Map<JobState, Integer> countByState(List<JobRecord> jobs, String instanceId) {
        Map<JobState, Integer> counts = new EnumMap<>(JobState.class);
        for (JobRecord job : jobs) {
            if (instanceId == null || instanceId.equals(job.instanceId())) {
                counts.merge(job.state(), 1, Integer::sum);
            }
        }
        return counts;
    }
}
