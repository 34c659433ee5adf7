package org.solstice.orchestrator.images;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback HTTP server for image downloads that misbehaves on request: ignores Range, drops the connection
 * mid-body, stalls, answers an error status. Records every request.
 */
final class ImageTestServer implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    record Request(String method, String path, String range, String ifRange) {
    }

    /** What one path serves; fields may be changed between requests. */
    static final class Resource {
        volatile byte[] body;
        volatile String etag = "\"v1\"";
        volatile String lastModified = "Tue, 24 Nov 2026 10:00:00 GMT";
        volatile boolean honourRange = true;
        volatile int status = 200;
        /** Close the connection after this many body bytes (absolute position), for the next dropTimes requests. */
        volatile long dropAt = -1;
        final AtomicInteger dropTimes = new AtomicInteger();
        /** Stop sending after this many body bytes (absolute position) for stallMillis, for the next stallTimes. */
        volatile long stallAt = -1;
        volatile long stallMillis;
        final AtomicInteger stallTimes = new AtomicInteger();
        /** Pause this long after each 64 KiB chunk (a slow link). */
        volatile long chunkDelayMillis;
        /** Requests wait (up to 30 s) until this opens. */
        volatile CountDownLatch gate = new CountDownLatch(0);

        Resource(byte[] body) {
            this.body = body;
        }

        Resource dropOnce(long at) {
            return drop(at, 1);
        }

        Resource drop(long at, int times) {
            dropAt = at;
            dropTimes.set(times);
            return this;
        }

        Resource stall(long at, long millis, int times) {
            stallAt = at;
            stallMillis = millis;
            stallTimes.set(times);
            return this;
        }

        Resource ignoringRange() {
            honourRange = false;
            return this;
        }

        Resource status(int code) {
            status = code;
            return this;
        }

        Resource slow(long millisPerChunk) {
            chunkDelayMillis = millisPerChunk;
            return this;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Map<String, Resource> resources = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    ImageTestServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    Resource serve(String path, byte[] body) {
        Resource resource = new Resource(body);
        resources.put(path, resource);
        return resource;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String range = exchange.getRequestHeaders().getFirst("Range");
        String ifRange = exchange.getRequestHeaders().getFirst("If-Range");
        requests.add(new Request(exchange.getRequestMethod(), path, range, ifRange));
        Resource r = resources.get(path);
        try (exchange) {
            if (r != null) {
                r.gate.await(30, TimeUnit.SECONDS);
            }
            if (r == null || r.status != 200) {
                exchange.sendResponseHeaders(r == null ? 404 : r.status, -1);
                return;
            }
            byte[] body = r.body;
            long start = 0;
            int status = 200;
            Matcher m = range == null ? null : RANGE.matcher(range);
            boolean validatorMatches = ifRange == null || ifRange.equals(r.etag) || ifRange.equals(r.lastModified);
            if (r.honourRange && m != null && m.matches() && validatorMatches) {
                start = Long.parseLong(m.group(1));
                status = 206;
                exchange.getResponseHeaders().set("Content-Range",
                        "bytes " + start + "-" + (body.length - 1) + "/" + body.length);
            }
            if (r.etag != null) {
                exchange.getResponseHeaders().set("ETag", r.etag);
            }
            if (r.lastModified != null) {
                exchange.getResponseHeaders().set("Last-Modified", r.lastModified);
            }
            exchange.sendResponseHeaders(status, body.length - start);
            boolean drop = r.dropAt >= 0 && r.dropTimes.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            boolean stall = r.stallAt >= 0 && r.stallTimes.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            OutputStream out = exchange.getResponseBody();
            long position = start;
            while (position < body.length) {
                long limit = body.length;
                if (drop && position < r.dropAt) {
                    limit = Math.min(limit, r.dropAt);
                }
                if (stall && position < r.stallAt) {
                    limit = Math.min(limit, r.stallAt);
                }
                int n = (int) Math.min(64 * 1024, limit - position);
                if (n > 0) {
                    out.write(body, (int) position, n);
                    position += n;
                }
                if (drop && position >= r.dropAt) {
                    out.flush();
                    return; // closing the exchange with bytes missing closes the connection
                }
                if (stall && position >= r.stallAt) {
                    out.flush();
                    stall = false;
                    closing.await(r.stallMillis, TimeUnit.MILLISECONDS);
                }
                if (r.chunkDelayMillis > 0) {
                    out.flush();
                    closing.await(r.chunkDelayMillis, TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
