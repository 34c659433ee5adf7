package org.solstice.orchestrator.images;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import org.solstice.orchestrator.config.Decompression;
import org.solstice.orchestrator.config.ImageDefinition;

/**
 * Image preparation against the command-line tools, same machine, same run, rounds interleaved:
 * (a) decompressing a zstd disk image with the project's code vs {@code zstd -d};
 * (b) downloading it over loopback HTTP with checksum vs {@code curl -o} then {@code sha256sum}.
 * Run by bench/images.sh: {@code java -cp <test classpath> ...ImagePreparationBenchmark DIR SIZE_MIB ROUNDS}.
 */
public final class ImagePreparationBenchmark {
    private final Path dir;
    private final int rounds;
    private final Map<String, List<Double>> seconds = new LinkedHashMap<>();
    private final Map<String, List<Double>> cpuSeconds = new LinkedHashMap<>();
    /** CPU seconds of the child processes of the step being timed (from /usr/bin/time). */
    private double childCpu;

    private ImagePreparationBenchmark(Path dir, int rounds) {
        this.dir = dir;
        this.rounds = rounds;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long size = Long.parseLong(args[1]) * 1024 * 1024;
        int rounds = Integer.parseInt(args[2]);
        Files.createDirectories(dir);
        new ImagePreparationBenchmark(dir, rounds).run(size);
    }

    private void run(long size) throws Exception {
        Path raw = dir.resolve("image.raw");
        Path zst = dir.resolve("image.raw.zst");
        long t = System.nanoTime();
        String rawSha = generate(raw, size);
        System.out.printf(Locale.ROOT, "generated %s (%d bytes) in %.1f s%n", raw, size, (System.nanoTime() - t) / 1e9);
        t = System.nanoTime();
        command("zstd", "-q", "-f", "-T2", "--long=27", raw.toString(), "-o", zst.toString());
        Files.delete(raw);
        String zstSha = HexFormat.of().formatHex(ImageWriter.sha256().digest(Files.readAllBytes(zst)));
        System.out.printf(Locale.ROOT, "compressed with zstd -T2 --long=27 to %d bytes (%.1f%%) in %.1f s%n",
                Files.size(zst), 100.0 * Files.size(zst) / size, (System.nanoTime() - t) / 1e9);

        HttpServer server = serve(zst);
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/image.raw.zst");
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        ImagePreparer preparer = new ImagePreparer(PreparationOptions.defaults());
        try {
            for (int round = 0; round <= rounds; round++) {
                boolean warmup = round == 0;
                // (a) decompression
                time(warmup, "zstd -d", () -> command("zstd", "-d", "-q", "-f", zst.toString(), "-o",
                        out.resolve("cli.img").toString()));
                clean(out);
                time(warmup, "zstd -d + sync -f", () -> {
                    command("zstd", "-d", "-q", "-f", zst.toString(), "-o", out.resolve("cli.img").toString());
                    command("sync", "-f", out.resolve("cli.img").toString());
                });
                clean(out);
                time(warmup, "project decompress", () -> preparer.prepare(image(zst.toUri(), out, Decompression.ZSTD,
                        rawSha), ImagePreparationListener.none()));
                clean(out);
                // (b) download + checksum of the downloaded file
                time(warmup, "curl -o + sha256sum", () -> {
                    command("curl", "-s", "-f", "-o", out.resolve("curl.zst").toString(), url.toString());
                    command("sha256sum", out.resolve("curl.zst").toString());
                });
                clean(out);
                time(warmup, "project download", () -> preparer.prepare(image(url, out, Decompression.NONE, zstSha),
                        ImagePreparationListener.none()));
                clean(out);
                // (b') full preparation: download, decompress, checksum of the image
                time(warmup, "curl -o + zstd -d + sha256sum", () -> {
                    command("curl", "-s", "-f", "-o", out.resolve("curl.zst").toString(), url.toString());
                    command("zstd", "-d", "-q", "-f", out.resolve("curl.zst").toString(), "-o",
                            out.resolve("curl.img").toString());
                    command("sha256sum", out.resolve("curl.img").toString());
                });
                clean(out);
                time(warmup, "project download + decompress", () -> preparer.prepare(image(url, out,
                        Decompression.ZSTD, rawSha), ImagePreparationListener.none()));
                clean(out);
            }
        } finally {
            server.stop(0);
        }
        report();
    }

    private void report() {
        System.out.println();
        System.out.println("| what | median wall s | median CPU s | rounds wall (s) |");
        System.out.println("|---|---:|---:|---|");
        seconds.forEach((name, list) -> System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %s |%n", name,
                median(list), median(cpuSeconds.get(name)),
                list.stream().map(s -> String.format(Locale.ROOT, "%.3f", s)).toList()));
        ratio("decompression", "project decompress", "zstd -d", 1.10);
        ratio("decompression, both durable on disk", "project decompress", "zstd -d + sync -f", 1.10);
        ratio("download + checksum", "project download", "curl -o + sha256sum", 1.20);
        ratio("download + decompress + checksum", "project download + decompress", "curl -o + zstd -d + sha256sum",
                1.20);
    }

    private void ratio(String what, String ours, String theirs, double target) {
        double r = median(seconds.get(ours)) / median(seconds.get(theirs));
        System.out.printf(Locale.ROOT, "RATIO %s: %.3f (target <= %.2f) %s%n", what, r, target,
                r <= target ? "MET" : "MISSED");
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private interface Step {
        void run() throws Exception;
    }

    private void time(boolean warmup, String name, Step step) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        childCpu = 0;
        long cpuStart = os.getProcessCpuTime();
        long start = System.nanoTime();
        step.run();
        double s = (System.nanoTime() - start) / 1e9;
        // CPU of this JVM (all threads, the loopback HTTP server's included) plus that of the commands run
        double cpu = (os.getProcessCpuTime() - cpuStart) / 1e9 + childCpu;
        System.out.printf(Locale.ROOT, "%s%-34s %.3f s wall, %.3f s CPU, load %.2f%n", warmup ? "(warm-up) " : "",
                name, s, cpu, os.getSystemLoadAverage());
        if (!warmup) {
            seconds.computeIfAbsent(name, k -> new ArrayList<>()).add(s);
            cpuSeconds.computeIfAbsent(name, k -> new ArrayList<>()).add(cpu);
        }
    }

    private ImageDefinition image(URI source, Path out, Decompression decompress, String sha256) {
        return TestImages.image("bench", source, out.resolve("project.img"), decompress, sha256);
    }

    private static void clean(Path out) throws IOException {
        try (var files = Files.list(out)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
    }

    /** Runs a command under /usr/bin/time, adding its user+system CPU seconds to {@link #childCpu}. */
    private void command(String... command) throws IOException, InterruptedException {
        Path times = dir.resolve("time.txt");
        List<String> timed = new ArrayList<>(List.of("/usr/bin/time", "-f", "%U %S", "-o", times.toString()));
        timed.addAll(List.of(command));
        Process process = new ProcessBuilder(timed).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + process.exitValue());
        }
        String[] cpu = Files.readString(times).trim().split("\\s+");
        childCpu += Double.parseDouble(cpu[cpu.length - 2]) + Double.parseDouble(cpu[cpu.length - 1]);
    }

    /**
     * A disk-like image in 1 MiB extents: 45% zeros (unallocated space), 30% text-like data (compresses about
     * 3x), 25% random (already-compressed files). Returns its SHA-256.
     */
    private static String generate(Path file, long size) throws IOException {
        var digest = ImageWriter.sha256();
        SplittableRandom random = new SplittableRandom(42);
        byte[] extent = new byte[1024 * 1024];
        byte[] words = "the quick brown fox jumps over a lazy dog while kernel modules load /usr/lib/libc.so.1 "
                .getBytes();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long at = 0; at < size; at += extent.length) {
                int kind = random.nextInt(100);
                if (kind < 45) {
                    Arrays.fill(extent, (byte) 0);
                } else if (kind < 75) {
                    for (int i = 0; i < extent.length; ) {
                        int start = random.nextInt(words.length);
                        int n = Math.min(extent.length - i, 1 + random.nextInt(words.length - start));
                        System.arraycopy(words, start, extent, i, n);
                        i += n;
                        if (i < extent.length) {
                            extent[i++] = (byte) random.nextInt(256);
                        }
                    }
                } else {
                    for (int i = 0; i < extent.length; i += 8) {
                        long v = random.nextLong();
                        for (int b = 0; b < 8; b++) {
                            extent[i + b] = (byte) (v >>> (8 * b));
                        }
                    }
                }
                int n = (int) Math.min(extent.length, size - at);
                digest.update(extent, 0, n);
                ByteBuffer buffer = ByteBuffer.wrap(extent, 0, n);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static HttpServer serve(Path file) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getResponseHeaders().set("ETag", "\"bench\"");
                exchange.sendResponseHeaders(200, Files.size(file));
                try (OutputStream body = exchange.getResponseBody()) {
                    Files.copy(file, body);
                }
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(2, task -> {
            Thread thread = new Thread(task, "bench-http");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return server;
    }

}
