package org.solstice.orchestrator.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The web console on the HTTP listener: its pages and script from the jar ({@code /console/} in the
 * resources; nothing from elsewhere), and the API they read ({@code /api/jobs/<id>}, its {@code /log} and
 * {@code /console}, {@code /api/images}, {@code /api/host}); its actions are {@link AdminAccess}'s. Every response
 * carries {@link #secure} headers.
 */
final class WebConsole {
    /** At most this much log per {@code /log} answer; the page asks again from where it stopped. */
    static final int LOG_SLICE = 256 * 1024;
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
            + " frame-ancestors 'none'";

    private record Asset(String resource, String type) {
    }

    private static final Map<String, Asset> ASSETS = Map.of(
            "/", new Asset("jobs.html", "text/html; charset=utf-8"),
            "/job", new Asset("job.html", "text/html; charset=utf-8"),
            "/images", new Asset("images.html", "text/html; charset=utf-8"),
            "/host", new Asset("host.html", "text/html; charset=utf-8"),
            "/console.js", new Asset("console.js", "text/javascript; charset=utf-8"),
            "/console.css", new Asset("console.css", "text/css; charset=utf-8"));

    private final WebApi api;
    private final Path stateDir;

    private final AdminAccess admin;

    WebConsole(WebApi api, Path stateDir, AdminAccess admin) {
        this.api = api;
        this.stateDir = stateDir;
        this.admin = admin;
    }

    void register(HttpServer server) {
        admin.register(server);
        server.createContext("/", OpsServer.get(this::asset));
        server.createContext("/api/jobs/", OpsServer.get(this::job));
        server.createContext("/api/images", OpsServer.get(ex -> OpsServer.json(ex, 200, api.images())));
        server.createContext("/api/host", OpsServer.get(ex -> OpsServer.json(ex, 200,
                api.host().put("admin_actions", admin.enabled()))));
    }

    /** Headers for every answer of the listener: no inline or foreign script, no sniffing, no framing. */
    static void secure(HttpExchange ex) {
        var h = ex.getResponseHeaders();
        h.set("Content-Security-Policy", CSP);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Cache-Control", "no-store");
    }

    private void asset(HttpExchange ex) throws IOException {
        Asset asset = ASSETS.get(ex.getRequestURI().getPath());
        if (asset == null) {
            OpsServer.error(ex, 404, "no such path: " + ex.getRequestURI().getPath());
            return;
        }
        byte[] bytes;
        try (InputStream in = WebConsole.class.getResourceAsStream("/console/" + asset.resource())) {
            if (in == null) {
                OpsServer.error(ex, 500, "the jar lacks console/" + asset.resource());
                return;
            }
            bytes = in.readAllBytes();
        }
        secure(ex);
        ex.getResponseHeaders().set("Content-Type", asset.type());
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** {@code /api/jobs/<id>}, {@code /api/jobs/<id>/log?offset=N}, {@code /api/jobs/<id>/console}. */
    private void job(HttpExchange ex) throws IOException {
        String rest = ex.getRequestURI().getPath().substring("/api/jobs/".length());
        String[] parts = rest.split("/", -1);
        Optional<UUID> id = jobId(parts[0]);
        if (id.isEmpty() || parts.length > 2) {
            OpsServer.error(ex, 400, "expected /api/jobs/<request id (a UUID)>[/log|/console]");
            return;
        }
        JobLogFile log = new JobLogFile(stateDir, id.get());
        if (parts.length == 1) {
            Optional<ObjectNode> body = api.job(id.get());
            if (body.isPresent()) {
                OpsServer.json(ex, 200, body.get());
            } else {
                OpsServer.error(ex, 404, "no job " + id.get() + " in the job store");
            }
        } else if (parts[1].equals("log")) {
            JobLogFile.Slice slice = log.read(offset(ex), LOG_SLICE);
            OpsServer.json(ex, 200, OpsMessages.MAPPER.createObjectNode()
                    .put("exists", slice.exists()).put("live", slice.live())
                    .put("next_offset", slice.next()).put("text", slice.text()));
        } else if (parts[1].equals("console")) {
            if (!log.exists()) {
                OpsServer.error(ex, 404, "no console log of job " + id.get() + " on this host");
                return;
            }
            secure(ex);
            ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                log.copyTo(out, false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            OpsServer.error(ex, 404, "no such path: " + ex.getRequestURI().getPath());
        }
    }

    /**
     * The request id, only in its canonical UUID form: it becomes part of a file name under the state directory,
     * so nothing else (no "..", no separators) may reach the file system.
     */
    static Optional<UUID> jobId(String text) {
        if (!UUID_TEXT.matcher(text).matches()) {
            return Optional.empty();
        }
        return Optional.of(UUID.fromString(text));
    }

    private static long offset(HttpExchange ex) {
        String query = ex.getRequestURI().getRawQuery();
        if (query != null) {
            for (String part : query.split("&")) {
                if (part.startsWith("offset=")) {
                    try {
                        return Math.max(0, Long.parseLong(part.substring(7)));
                    } catch (NumberFormatException e) {
                        return 0;
                    }
                }
            }
        }
        return 0;
    }
}
