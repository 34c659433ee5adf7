package org.solstice.orchestrator.store;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.solstice.orchestrator.config.ConfigException;

/**
 * Where the job store lives: {@code DATABASE_URL} as {@code postgres://user:pass@host:5432/db} (or
 * {@code postgresql://}), a JDBC URL, or nothing for the embedded H2 file database under the state directory.
 *
 * @param password null when none; never logged
 */
public record DatabaseUrl(String jdbcUrl, String user, String password) {

    public static DatabaseUrl parse(String value, Path stateDir) {
        if (value == null || value.isBlank()) {
            Path file = stateDir.toAbsolutePath().resolve("jobstore");
            // WRITE_DELAY=0: a commit reaches the file before the call returns, so kill -9 loses nothing committed.
            // AUTO_SERVER lets `orchestrator jobs list` read the store while the daemon holds it; the server it
            // starts binds to loopback (h2.bindAddress, set by the store before it opens the database).
            return new DatabaseUrl("jdbc:h2:file:" + file + ";AUTO_SERVER=TRUE;WRITE_DELAY=0", "sa", "");
        }
        if (value.startsWith("jdbc:")) {
            return new DatabaseUrl(value, null, null);
        }
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("DATABASE_URL", "is neither a JDBC URL nor postgres://user:pass@host:port/db");
        }
        if (!"postgres".equals(uri.getScheme()) && !"postgresql".equals(uri.getScheme())) {
            throw new ConfigException("DATABASE_URL", "scheme must be postgres, postgresql or jdbc:..., was '"
                    + uri.getScheme() + "'");
        }
        if (uri.getHost() == null) {
            throw new ConfigException("DATABASE_URL", "must name a host");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
            password = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : null;
        }
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return new DatabaseUrl("jdbc:postgresql://" + uri.getHost() + ":" + port + "/" + db + query, user, password);
    }

    public boolean isPostgres() {
        return jdbcUrl.startsWith("jdbc:postgresql:");
    }

    /** The URL without credentials, for logs. */
    public String redacted() {
        return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
