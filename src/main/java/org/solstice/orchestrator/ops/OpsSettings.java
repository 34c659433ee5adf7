package org.solstice.orchestrator.ops;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Operating the daemon: its HTTP listener and job-log retention.
 *
 * @param httpAddress  address the HTTP listener binds (loopback by default)
 * @param httpPort     its port; 0 picks a free one (tests), -1 turns the listener off
 * @param logRetention   finished jobs' console logs older than this are deleted
 * @param adminTokenFile the web console's admin token (its actions need it), or null: read-only
 */
public record OpsSettings(String httpAddress, int httpPort, Duration logRetention, Path adminTokenFile) {
    public static final int DISABLED = -1;
    public static final int DEFAULT_PORT = 9464;

    public OpsSettings {
        Objects.requireNonNull(httpAddress, "httpAddress");
        Objects.requireNonNull(logRetention, "logRetention");
        if (httpPort < DISABLED || httpPort > 65535) {
            throw new IllegalArgumentException("--http-port must be -1 (off), 0 (any free port) or 1 to 65535, was "
                    + httpPort);
        }
        if (logRetention.isNegative() || logRetention.isZero()) {
            throw new IllegalArgumentException("--log-retention must be positive, was " + logRetention);
        }
    }

    /** Read-only (no admin token). */
    public OpsSettings(String httpAddress, int httpPort, Duration logRetention) {
        this(httpAddress, httpPort, logRetention, null);
    }

    /** Listener on the default port, 14 days of logs. */
    public static OpsSettings defaults() {
        return new OpsSettings("127.0.0.1", DEFAULT_PORT, Duration.ofDays(14));
    }

    /** No HTTP listener (what configurations built without these settings get, e.g. in tests). */
    public static OpsSettings httpOff() {
        return new OpsSettings("127.0.0.1", DISABLED, Duration.ofDays(14));
    }

    public boolean httpEnabled() {
        return httpPort != DISABLED;
    }

    public OpsSettings withHttpPort(int port) {
        return new OpsSettings(httpAddress, port, logRetention, adminTokenFile);
    }

    public OpsSettings withAdminTokenFile(Path file) {
        return new OpsSettings(httpAddress, httpPort, logRetention, file);
    }
}
