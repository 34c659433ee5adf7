package org.solstice.orchestrator.daemon;

import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.store.DatabaseUrl;
import org.solstice.orchestrator.store.JdbcJobStore;
import org.solstice.orchestrator.store.JobRecord;
import org.solstice.orchestrator.store.JobStore;
import org.solstice.orchestrator.store.StoreRetry;

/** The job store, opened (waiting for the database while the daemon is starting) and closed. */
final class StorePart implements Part {
    private static final Logger log = LoggerFactory.getLogger(StorePart.class);

    private final DaemonConfig config;
    private final BooleanSupplier keepTrying;
    private volatile JobStore store;

    StorePart(DaemonConfig config, BooleanSupplier keepTrying) {
        this.config = config;
        this.keepTrying = keepTrying;
    }

    @Override
    public void start() throws InterruptedException {
        DatabaseUrl databaseUrl = DatabaseUrl.parse(config.databaseUrl(), config.stateDir());
        // the database may not be up yet, or (embedded H2) a killed predecessor's file lock may still be going stale
        store = StoreRetry.call("opening the job store", () -> JdbcJobStore.open(databaseUrl), keepTrying);
        log.info("job store: {}", store.describe());
    }

    @Override
    public void stop() {
        if (store != null) {
            store.close();
        }
    }

    JobStore store() {
        return store;
    }

    boolean isReachable() {
        JobStore s = store;
        return s != null && s.isReachable();
    }

    List<JobRecord> recent(int limit) {
        JobStore s = store;
        return s == null ? List.of() : s.recent(limit);
    }
}
