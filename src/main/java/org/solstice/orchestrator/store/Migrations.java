package org.solstice.orchestrator.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the store's schema up to date with Flyway: the versioned scripts under {@code db/migration/}
 * ({@code V<n>__<what>.sql}, never edited once released), recorded in {@code flyway_schema_history}. Flyway locks
 * the history table while it migrates (on PostgreSQL an advisory lock), so several hosts starting at once on one
 * database apply each script once.
 *
 * <p>Stores written before Flyway (up to commit b862a67) recorded their scripts in {@code schema_migrations}: such a
 * store is adopted, baselined at the version it reached, and only later scripts run. {@code schema_migrations} is
 * left as it was, so the previous release still opens an upgraded store whose schema it knows.
 */
final class Migrations {
    private static final Logger log = LoggerFactory.getLogger(Migrations.class);
    static final String LOCATION = "classpath:db/migration";
    /** The hand-written runner's record of applied scripts, read to adopt a store it made. */
    static final String LEGACY_TABLE = "schema_migrations";
    static final String HISTORY_TABLE = "flyway_schema_history";

    private Migrations() {
    }

    /**
     * @throws FlywayException when a script fails, a released script was edited, or the schema is not empty and
     *                         was made neither by Flyway nor by the hand-written runner (it is left untouched)
     */
    static void apply(DataSource database) throws SQLException {
        FluentConfiguration config = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(database)
                .locations(LOCATION)
                .table(HISTORY_TABLE)
                .failOnMissingLocations(true)
                .validateMigrationNaming(true); // a misnamed script fails the start instead of being skipped
        int legacy = legacyVersion(database);
        if (legacy > 0 && !hasTable(database, HISTORY_TABLE)) {
            log.info("job store: adopting the schema at version {} recorded in {}", legacy, LEGACY_TABLE);
        }
        if (legacy > 0) {
            // only used when there is no flyway_schema_history yet: the first start after the upgrade
            config.baselineOnMigrate(true)
                    .baselineVersion(Integer.toString(legacy))
                    .baselineDescription("adopted from " + LEGACY_TABLE);
        }
        MigrateResult result = config.load().migrate();
        if (result.migrationsExecuted > 0) {
            log.info("job store: schema migrated from version {} to {} ({} script(s))",
                    result.initialSchemaVersion == null ? "none" : result.initialSchemaVersion,
                    result.targetSchemaVersion, result.migrationsExecuted);
        }
    }

    /** The last script the hand-written runner applied here, 0 when it never ran on this schema. */
    static int legacyVersion(DataSource database) throws SQLException {
        try (Connection c = database.getConnection(); Statement st = c.createStatement()) {
            if (!hasTable(c, LEGACY_TABLE)) {
                return 0;
            }
            try (ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM " + LEGACY_TABLE)) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    private static boolean hasTable(DataSource database, String table) throws SQLException {
        try (Connection c = database.getConnection()) {
            return hasTable(c, table);
        }
    }

    /** Whether the connection's current schema holds {@code table} (H2 folds unquoted names up, PostgreSQL down). */
    private static boolean hasTable(Connection c, String table) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        String schema = c.getSchema();
        for (String name : new String[] {table, table.toUpperCase(Locale.ROOT)}) {
            try (ResultSet rs = meta.getTables(c.getCatalog(), pattern(meta, schema), pattern(meta, name),
                    new String[] {"TABLE"})) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The name as a metadata search pattern that matches only itself ('_' is a wildcard there). */
    private static String pattern(DatabaseMetaData meta, String name) throws SQLException {
        if (name == null) {
            return null;
        }
        String escape = meta.getSearchStringEscape();
        return name.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
    }
}
