package org.solstice.orchestrator.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** The job store's connection pool: short timeouts, so an unreachable database is reported, not waited on. */
final class StorePool {
    private StorePool() {
    }

    static HikariDataSource create(DatabaseUrl url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url.jdbcUrl());
        if (url.user() != null) {
            config.setUsername(url.user());
        }
        if (url.password() != null) {
            config.setPassword(url.password());
        }
        config.setPoolName("job-store");
        config.setMaximumPoolSize(8);
        config.setConnectionTimeout(3000);
        config.setValidationTimeout(2000);
        config.setInitializationFailTimeout(-1);
        config.setAutoCommit(true);
        return new HikariDataSource(config);
    }
}
