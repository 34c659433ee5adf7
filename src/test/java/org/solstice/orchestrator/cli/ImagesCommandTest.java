package org.solstice.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code images list} and {@code images pull} run standalone, as the root command will run them. */
class ImagesCommandTest {
    @TempDir
    Path dir;
    HttpServer server;
    final byte[] raw = new byte[300_000];
    Path map;

    @BeforeEach
    void setUp() throws Exception {
        Arrays.fill(raw, 100_000, 200_000, (byte) 7);
        Files.write(dir.resolve("good.img.zst"), Zstd.compress(raw));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
        String sha = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(raw));
        map = dir.resolve("map.yaml");
        Files.writeString(map, """
                default_label: latest
                aliases:
                  latest: good
                  stable: latest
                images:
                  good:
                    source: %s
                    local_path: images/good.img
                    decompress: zstd
                    sha256: %s
                  gone:
                    source: http://127.0.0.1:%d/gone.img.zst
                    local_path: images/gone.img
                    decompress: zstd
                  half:
                    source: http://127.0.0.1:%d/half.img
                    local_path: images/half.img
                  old:
                    source: http://127.0.0.1:%d/old.img
                    local_path: images/old.img
                """.formatted(dir.resolve("good.img.zst").toUri(), sha, port(), port(), port()));
        Files.createDirectories(dir.resolve("images"));
        Files.write(dir.resolve("images/half.img.part"), new byte[1234]);
        Files.write(dir.resolve("images/old.img"), new byte[2048]); // no sidecar: not known to be this image
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
    }

    @Test
    void list_showsStateSizeChecksumLabelsAndSource() {
        Run before = run("list", "--config", map.toString());
        assertThat(before.status).isZero();
        assertThat(before.out).contains("NAME", "STATE", "SIZE", "SHA256", "LABELS", "SOURCE");
        assertThat(line(before.out, "good")).contains("missing", "latest,stable,(default)", "good.img.zst");
        assertThat(line(before.out, "gone")).contains("missing", "/gone.img.zst").doesNotContain("(default)");
        assertThat(line(before.out, "half")).contains("partial", "1.2 KiB");
        assertThat(line(before.out, "old")).contains("stale", "2.0 KiB");

        assertThat(run("pull", "--config", map.toString(), "stable").status).isZero();

        Run after = run("list", "--config", map.toString());
        String sha = HexFormat.of().formatHex(sha256(raw));
        assertThat(line(after.out, "good")).contains("ready", "293.0 KiB", sha);
    }

    @Test
    void pull_preparesTheImageALabelResolvesTo() throws IOException {
        Run pull = run("pull", "--config", map.toString(), "latest");

        assertThat(pull.status).as(pull.err).isZero();
        assertThat(pull.out).contains("image good: fetching file:").contains("image good: ready at ");
        assertThat(Files.readAllBytes(dir.resolve("images/good.img"))).isEqualTo(raw);
        assertThat(run("pull", "--config", map.toString(), "good").out).contains("image good: already ready");
    }

    @Test
    void pull_failsWithTheReasonWhenAnImageCannotBePrepared() {
        Run pull = run("pull", "--config", map.toString(), "--attempts", "1", "good", "gone");

        assertThat(pull.status).isEqualTo(1);
        assertThat(pull.err)
                .contains("image gone is not available")
                .contains("http://127.0.0.1:" + port() + "/gone.img.zst")
                .contains("server answered 'HTTP/1.1 404 Not Found'")
                .contains("1 of 2 images could not be prepared");
        assertThat(pull.out).contains("image good: ready at ");
        assertThat(dir.resolve("images/gone.img")).doesNotExist();
    }

    @Test
    void pull_rejectsUnknownLabelsAndMaps() {
        Run unknown = run("pull", "--config", map.toString(), "nosuch");
        assertThat(unknown.status).isEqualTo(2);
        assertThat(unknown.err).contains("'nosuch' is not in the image map").contains("latest");

        Run noMap = run("list", "--config", dir.resolve("absent.yaml").toString());
        assertThat(noMap.status).isEqualTo(2);
        assertThat(noMap.err).contains("absent.yaml").contains("does not exist");
    }

    @Test
    void imagesWithoutSubcommand_isAUsageError() {
        Run run = run();
        assertThat(run.status).isEqualTo(2);
        assertThat(run.err).contains("Missing subcommand");
    }

    private int port() {
        return server.getAddress().getPort();
    }

    private static String line(String output, String name) {
        return output.lines().filter(l -> l.startsWith(name + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + name + " in:\n" + output));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ImagesCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int status = cli.execute(List.of(args).toArray(String[]::new));
        return new Run(status, out.toString(), err.toString());
    }
}
