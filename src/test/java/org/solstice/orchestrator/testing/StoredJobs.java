package org.solstice.orchestrator.testing;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.solstice.orchestrator.store.DatabaseUrl;
import org.solstice.orchestrator.store.JdbcJobStore;
import org.solstice.orchestrator.store.JobRecord;
import org.solstice.orchestrator.store.JobState;
import org.solstice.orchestrator.store.JobStore;

/**
 * The jobs a daemon recorded in its embedded H2 store (under its state directory), read the way
 * {@code orchestrator jobs list} reads them while the daemon runs: a test waits on these facts, not on log lines.
 */
public final class StoredJobs {
    private static final int ALL = 10_000;
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private StoredJobs() {
    }

    /**
     * Waits (60 s at most) until the store under {@code stateDir} holds exactly these numbers of jobs per state
     * (states not named: none), failing at once when {@code stillAlive} turns false (the daemon exited).
     */
    public static void awaitExactly(Path stateDir, Map<JobState, Integer> expected, Callable<Boolean> stillAlive) {
        Map<JobState, Integer> wanted = new EnumMap<>(expected);
        try (JobStore store = JdbcJobStore.open(DatabaseUrl.parse(null, stateDir))) {
            await("exactly " + wanted + " jobs in the store under " + stateDir)
                    .atMost(DEADLINE)
                    .pollInterval(Duration.ofMillis(50))
                    .failFast("the daemon exited", () -> !stillAlive.call())
                    .until(() -> countByState(store), wanted::equals);
        }
    }

    /** The same, for a daemon in this process (it cannot exit under the test). */
    public static void awaitExactly(Path stateDir, Map<JobState, Integer> expected) {
        awaitExactly(stateDir, expected, () -> true);
    }

    /** How many jobs the store holds in each state (states without jobs left out). */
    public static Map<JobState, Integer> countByState(JobStore store) {
        Map<JobState, Integer> counts = new EnumMap<>(JobState.class);
        for (JobRecord job : store.recent(ALL)) {
            counts.merge(job.state(), 1, Integer::sum);
        }
        return counts;
    }
}
