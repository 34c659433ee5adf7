package org.solstice.orchestrator.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.OrchestratorException;

/**
 * The HTTP listener (JDK server): {@code /metrics} (Prometheus text format, written by the Prometheus client's
 * handler), {@code /healthz}, {@code /readyz}, {@code /api/jobs}, {@code /api/capacity}, and the web console
 * ({@link WebConsole}: its pages at {@code /} and the API they add). GET only.
 */
public class OpsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OpsServer.class);

    private final HttpServer server;
    private final ExecutorService threads;

    OpsServer(OpsSettings settings, DaemonState state, OpsMetrics metrics, WebConsole console) {
        try {
            server = HttpServer.create(new InetSocketAddress(settings.httpAddress(), settings.httpPort()), 16);
        } catch (IOException e) {
            throw new OrchestratorException("cannot listen on " + settings.httpAddress() + ":" + settings.httpPort()
                    + " for /metrics and /readyz: " + e.getMessage()
                    + " (set --http-address / --http-port, or --http-port -1 to turn the listener off)", e);
        }
        threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        Readiness readiness = new Readiness(state);
        server.createContext("/metrics", new MetricsHandler(metrics.registry()));
        server.createContext("/healthz", get(ex -> json(ex, 200, OpsMessages.MAPPER.createObjectNode()
                .put("status", "alive"))));
        server.createContext("/readyz", get(ex -> {
            var body = readiness.evaluate();
            json(ex, body.get("ready").asBoolean() ? 200 : 503, body);
        }));
        server.createContext("/api/jobs", get(ex -> json(ex, 200, JsonApi.jobs(state, limit(ex)))));
        server.createContext("/api/capacity", get(ex -> json(ex, 200, JsonApi.capacity(state))));
        console.register(server);
        server.start();
        log.info("HTTP listener on http://{}:{} (the web console at /; /metrics, /healthz, /readyz, /api/jobs,"
                + " /api/capacity, /api/images, /api/host)", settings.httpAddress(), port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static int limit(HttpExchange ex) {
        String query = ex.getRequestURI().getQuery();
        if (query != null) {
            for (String part : query.split("&")) {
                if (part.startsWith("limit=")) {
                    try {
                        return Integer.parseInt(part.substring(6));
                    } catch (NumberFormatException e) {
                        return JsonApi.DEFAULT_JOBS;
                    }
                }
            }
        }
        return JsonApi.DEFAULT_JOBS;
    }

    static HttpHandler get(HttpHandler handler) {
        return ex -> {
            try {
                if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                    json(ex, 405, OpsMessages.MAPPER.createObjectNode().put("error", "GET only"));
                    return;
                }
                handler.handle(ex);
            } catch (RuntimeException e) {
                log.warn("HTTP {} failed: {}", ex.getRequestURI(), e.toString());
                json(ex, 500, OpsMessages.MAPPER.createObjectNode().put("error", e.toString()));
            }
        };
    }

    static void error(HttpExchange ex, int status, String message) throws IOException {
        json(ex, status, OpsMessages.MAPPER.createObjectNode().put("error", message));
    }

    static void json(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = OpsMessages.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
        WebConsole.secure(ex);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
