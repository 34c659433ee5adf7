package org.solstice.orchestrator.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs external programs as argument lists (never through a shell), each with a timeout.
 * A failure raises {@link CommandFailedException} carrying the command, exit status and stderr.
 */
public class CommandRunner {
    private static final int MAX_CAPTURE = 64 * 1024;

    private final Map<String, String> extraEnvironment;

    public CommandRunner() {
        this(Map.of());
    }

    /** @param extraEnvironment variables added to every command's environment (tests use it to put simulators on PATH) */
    public CommandRunner(Map<String, String> extraEnvironment) {
        this.extraEnvironment = Map.copyOf(extraEnvironment);
    }

    /** Runs the command and returns its result whatever the exit status; throws only on timeout or start failure. */
    public CommandResult run(List<String> command, Duration timeout) {
        return run(command, timeout, null);
    }

    public CommandResult run(List<String> command, Duration timeout, Path workingDirectory) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(extraEnvironment);
        if (workingDirectory != null) {
            pb.directory(workingDirectory.toFile());
        }
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new CommandFailedException(command, -1, "", "cannot start: " + e.getMessage(), e);
        }
        StreamCollector out = new StreamCollector(process.getInputStream());
        StreamCollector err = new StreamCollector(process.getErrorStream());
        out.start();
        err.start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                throw new CommandFailedException(command, -1, out.text(), err.text()
                        + " (timed out after " + timeout.toSeconds() + " s)", null);
            }
            out.join(2000);
            err.join(2000);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CommandFailedException(command, -1, out.text(), "interrupted", e);
        }
        return new CommandResult(command, process.exitValue(), out.text(), err.text());
    }

    /** Runs the command and throws {@link CommandFailedException} unless it exits 0. */
    public CommandResult check(List<String> command, Duration timeout) {
        CommandResult result = run(command, timeout);
        if (result.exitCode() != 0) {
            throw new CommandFailedException(command, result.exitCode(), result.stdout(), result.stderr(), null);
        }
        return result;
    }

    private static final class StreamCollector extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        StreamCollector(InputStream in) {
            this.in = in;
            setDaemon(true);
            setName("command-output");
        }

        @Override
        public void run() {
            byte[] chunk = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    synchronized (buffer) {
                        if (buffer.size() < MAX_CAPTURE) {
                            buffer.write(chunk, 0, Math.min(n, MAX_CAPTURE - buffer.size()));
                        }
                    }
                }
            } catch (IOException e) {
                if (!"Stream closed".equals(e.getMessage())) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        String text() {
            synchronized (buffer) {
                return buffer.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
