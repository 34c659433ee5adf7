package org.solstice.orchestrator.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.solstice.orchestrator.store.DatabaseUrl;

/**
 * The real PostgreSQL the tests use: TEST_DATABASE_URL (postgres://...) when set, else 127.0.0.1:5432 (user
 * postgres, database test) when it answers; otherwise the test FAILS saying what to start.
 */
public final class Postgres {
    private Postgres() {
    }

    public static DatabaseUrl base() {
        String env = System.getenv("TEST_DATABASE_URL");
        if (env != null && !env.isBlank()) {
            return DatabaseUrl.parse(env, java.nio.file.Path.of("."));
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 5432), 1000);
        } catch (IOException e) {
            throw new AssertionError("These tests need PostgreSQL and none answers on 127.0.0.1:5432: set"
                    + " TEST_DATABASE_URL=postgres://user:pass@host:port/db, or start one (Debian: apt-get install"
                    + " postgresql && pg_ctlcluster --skip-systemctl-redirect 15 main start).");
        }
        return DatabaseUrl.parse("postgres://postgres@127.0.0.1:5432/test", java.nio.file.Path.of("."));
    }

    /** A new, empty schema of its own, so tests can't see each other's rows. */
    public static DatabaseUrl freshSchema() {
        return freshSchema(base());
    }

    public static DatabaseUrl freshSchema(DatabaseUrl base) {
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(base.jdbcUrl(), base.user(), base.password());
             Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
            // dropped when the test JVM ends, so the database does not collect one schema per test run
            Runtime.getRuntime().addShutdownHook(new Thread(() -> dropQuietly(base, schema)));
        } catch (SQLException e) {
            throw new AssertionError("cannot create a test schema in " + base.redacted() + ": " + e.getMessage(), e);
        }
        String sep = base.jdbcUrl().contains("?") ? "&" : "?";
        return new DatabaseUrl(base.jdbcUrl() + sep + "currentSchema=" + schema, base.user(), base.password());
    }

    private static void dropQuietly(DatabaseUrl base, String schema) {
        try (Connection c = DriverManager.getConnection(base.jdbcUrl(), base.user(), base.password());
             Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            // best effort at exit
        }
    }

    /** The same database reached at another port (a {@link TcpProxy}'s). */
    public static DatabaseUrl viaPort(DatabaseUrl url, int port) {
        URI u = URI.create(url.jdbcUrl().substring("jdbc:".length()));
        String rewritten = url.jdbcUrl().replace(u.getHost() + ":" + u.getPort(), "127.0.0.1:" + port);
        return new DatabaseUrl(rewritten, url.user(), url.password());
    }
}
