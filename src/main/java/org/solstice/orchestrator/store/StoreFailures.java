package org.solstice.orchestrator.store;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.flywaydb.core.api.FlywayException;

/** What a database failure means for the store's callers: unreachable (wait and try again) or not. */
final class StoreFailures {
    private StoreFailures() {
    }

    /** Flyway wraps the driver's failure: when the database could not be reached, say so as every call does. */
    static StoreException migration(DatabaseUrl url, FlywayException e) {
        String what = "cannot bring the schema of the job store at " + url.redacted() + " up to date";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                StoreException failure = of(what, sql);
                if (failure.isUnavailable()) {
                    return failure;
                }
            }
        }
        return new StoreException(what + ": " + e.getMessage(), e, false);
    }

    static StoreException of(String what, SQLException e) {
        SQLException root = e;
        if (e instanceof SQLTransientConnectionException && e.getCause() instanceof SQLException cause) {
            root = cause; // the pool's timeout wraps the driver's own reason
        }
        boolean unavailable = root instanceof SQLTransientConnectionException
                || root.getSQLState() == null
                || root.getSQLState().startsWith("08")
                || root.getSQLState().startsWith("57P"); // PostgreSQL shutting down / cannot connect now
        return new StoreException(what + ": " + (unavailable ? "the database is unreachable: " : "")
                + root.getMessage(), e, unavailable);
    }
}
