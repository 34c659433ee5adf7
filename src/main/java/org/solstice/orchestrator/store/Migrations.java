package org.solstice.orchestrator.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema scripts under {@code db/migration/}, applied in order at start-up and recorded in
 * {@code schema_migrations}. On PostgreSQL an advisory lock keeps two daemons from migrating at once.
 */
final class Migrations {
    private static final Logger log = LoggerFactory.getLogger(Migrations.class);
    /** Every script, in order. A new one is appended here and never edited once released. */
    static final List<String> SCRIPTS = List.of("V1__jobs_and_vms.sql");
    private static final long LOCK_KEY = 0x501571CE;

    private Migrations() {
    }

    static void apply(Connection c, boolean postgres) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
            if (postgres) {
                st.execute("SELECT pg_advisory_lock(" + LOCK_KEY + ")");
            }
            st.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY,"
                    + " script VARCHAR(256) NOT NULL, applied_at BIGINT NOT NULL)");
            int current = 0;
            try (ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")) {
                if (rs.next()) {
                    current = rs.getInt(1);
                }
            }
            for (int i = current; i < SCRIPTS.size(); i++) {
                String script = SCRIPTS.get(i);
                log.info("job store: applying schema migration {}", script);
                c.setAutoCommit(false);
                try (Statement step = c.createStatement()) {
                    for (String sql : statements(read(script))) {
                        step.execute(sql);
                    }
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO schema_migrations (version, script, applied_at) VALUES (?, ?, ?)")) {
                        ps.setInt(1, i + 1);
                        ps.setString(2, script);
                        ps.setLong(3, System.currentTimeMillis());
                        ps.executeUpdate();
                    }
                    c.commit();
                } catch (SQLException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            }
        } finally {
            if (postgres) {
                try (Statement st = c.createStatement()) {
                    st.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
                }
            }
            c.setAutoCommit(autoCommit);
        }
    }

    private static String read(String script) {
        try (InputStream in = Migrations.class.getResourceAsStream("/db/migration/" + script)) {
            if (in == null) {
                throw new IllegalStateException("migration script " + script + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration " + script, e);
        }
    }

    static List<String> statements(String text) {
        StringBuilder current = new StringBuilder();
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = current.toString().strip();
                out.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }
}
