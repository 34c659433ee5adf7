package org.solstice.orchestrator.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.solstice.orchestrator.messaging.AmqpSettings;

/** The daemon as a real process (the test classpath's Main): ready when /readyz says so, its log in a file. */
public final class DaemonProcess implements AutoCloseable {
    private static final Duration READY_DEADLINE = Duration.ofSeconds(60);

    private final Process process;
    private final Path log;
    private final int httpPort;
    private final String name;

    private DaemonProcess(Process process, Path log, int httpPort, String name) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
        this.name = name;
    }

    /** Starts {@code orchestrator} with the broker names of {@code amqp} and the given extra options. */
    public static DaemonProcess start(Path dir, String name, AmqpSettings amqp, String... extra) throws IOException {
        Path map = dir.resolve("map.yaml");
        if (!Files.exists(map)) {
            Files.writeString(map, NoopDaemonHarness.MAP);
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "org.solstice.orchestrator.Main",
                "--config", map.toString()));
        command.addAll(amqpArguments(amqp));
        command.addAll(List.of(extra));
        int httpPort;
        int given = command.indexOf("--http-port");
        if (given >= 0) {
            httpPort = Integer.parseInt(command.get(given + 1));
        } else {
            httpPort = freePort(); // several daemons at once must not fight over 9464; known, to ask /readyz
            command.addAll(List.of("--http-port", Integer.toString(httpPort)));
        }
        Path log = dir.resolve(name + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new DaemonProcess(process, log, httpPort, name);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The command-line options that give a daemon or the CLI these broker names. */
    public static List<String> amqpArguments(AmqpSettings amqp) {
        return List.of("--amqp-url", amqp.uri().toString(),
                "--amqp-exchange", amqp.jobExchange(), "--amqp-queue", amqp.jobQueue(),
                "--amqp-dlx", amqp.deadLetterExchange(), "--amqp-dlq", amqp.deadLetterQueue(),
                "--amqp-result-exchange", amqp.resultExchange(), "--amqp-label-exchange", amqp.labelExchange());
    }

    public Process process() {
        return process;
    }

    /**
     * Waits (60 s at most) until the daemon's {@code /readyz} answers 200: connected, consuming the job queue and
     * every label queue, its hypervisor and store answering. Fails at once if the process exits.
     */
    public void awaitReady() {
        if (httpPort <= 0) {
            throw new IllegalStateException("daemon " + name + " has no HTTP listener to ask whether it is ready");
        }
        await("daemon " + name + " to answer /readyz with 200 (consuming)")
                .atMost(READY_DEADLINE)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(IOException.class) // not listening yet
                .failFast(this::assertAlive)
                .until(() -> Http.get(httpPort, "/readyz").statusCode(), status -> status == 200);
    }

    /** Whether the process still runs (for waits that should stop early when it does not). */
    public boolean isAlive() {
        return process.isAlive();
    }

    private void assertAlive() throws IOException {
        if (!process.isAlive()) {
            throw new AssertionError("daemon " + name + " exited (" + process.exitValue() + "); log:\n" + log());
        }
    }

    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** SIGKILL: the daemon gets no chance to clean up. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM and wait for the drain. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the daemon did not exit within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
