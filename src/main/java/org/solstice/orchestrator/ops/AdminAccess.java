package org.solstice.orchestrator.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console's actions, {@code POST /api/actions/cancel?job=<id>}, {@code /drain} and
 * {@code /prepare?image=<name>}: refused unless the daemon has an admin token ({@code --admin-token-file}) and
 * the request carries it ({@code Authorization: Bearer <token>}; a header, not a cookie, so another site cannot
 * make a browser send it). Each attempt is logged with who (the token holder, from which address) and what.
 */
final class AdminAccess {
    private static final Logger log = LoggerFactory.getLogger(AdminAccess.class);

    private final byte[] token;
    private final AdminActions actions;

    /** @param token null or empty: read-only, every action refused */
    AdminAccess(String token, AdminActions actions) {
        this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.actions = actions;
    }

    boolean enabled() {
        return token != null;
    }

    void register(HttpServer server) {
        server.createContext("/api/actions/", ex -> {
            try {
                handle(ex);
            } catch (RuntimeException e) {
                log.warn("admin action {} failed: {}", ex.getRequestURI(), e.toString());
                OpsServer.error(ex, 500, e.toString());
            }
        });
    }

    private void handle(HttpExchange ex) throws IOException {
        String who = "admin-token holder from " + ex.getRemoteAddress();
        String action = ex.getRequestURI().getPath().substring("/api/actions/".length());
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        String what = action + (query.isEmpty() ? "" : " " + query);
        if (!"POST".equals(ex.getRequestMethod())) {
            OpsServer.error(ex, 405, "POST only");
            return;
        }
        if (token == null) {
            log.warn("admin action refused ({} from {}): the console is read-only", what, ex.getRemoteAddress());
            OpsServer.error(ex, 403, "refused: this daemon is read-only (start it with --admin-token-file)");
            return;
        }
        if (!authorized(ex.getRequestHeaders().getFirst("Authorization"))) {
            log.warn("admin action refused ({} from {}): no or a wrong admin token", what, ex.getRemoteAddress());
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            OpsServer.error(ex, 401, "refused: the admin token is missing or wrong");
            return;
        }
        String done;
        try {
            done = switch (action) {
                case "cancel" -> actions.cancel(WebConsole.jobId(query.getOrDefault("job", ""))
                        .orElseThrow(() -> new IllegalArgumentException("job must be a request id (a UUID)")));
                case "drain" -> actions.drain();
                case "prepare" -> actions.prepareAgain(Optional.ofNullable(query.get("image"))
                        .orElseThrow(() -> new IllegalArgumentException("image is required")));
                default -> throw new IllegalArgumentException("no such action: " + action);
            };
        } catch (IllegalArgumentException e) {
            log.info("admin action by the {}: {}: not done: {}", who, what, e.getMessage());
            OpsServer.error(ex, 400, e.getMessage());
            return;
        } catch (IllegalStateException e) {
            log.info("admin action by the {}: {}: not done: {}", who, what, e.getMessage());
            OpsServer.error(ex, 409, e.getMessage());
            return;
        } catch (UnsupportedOperationException e) {
            log.info("admin action by the {}: {}: not done: {}", who, what, e.getMessage());
            OpsServer.error(ex, 501, e.getMessage());
            return;
        }
        log.info("admin action by the {}: {}: {}", who, what, done);
        OpsServer.json(ex, 200, OpsMessages.MAPPER.createObjectNode().put("done", done));
    }

    private boolean authorized(String header) {
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token); // constant time
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw != null) {
            for (String part : raw.split("&")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    values.put(URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }
}
