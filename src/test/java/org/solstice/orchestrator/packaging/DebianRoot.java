package org.solstice.orchestrator.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.solstice.orchestrator.process.CommandResult;
import org.solstice.orchestrator.process.CommandRunner;

/**
 * A throw-away Debian system to install the package in: a copy of a minimal debootstrap root (Debian 12 with a
 * Java 17 runtime and systemd, whose units systemd-analyze needs) that is built once and cached outside the clone, under a key naming what is in it, so a CI
 * machine builds it on its first run only. Commands run chrooted in a mount and PID namespace of their own with a
 * fresh /proc, so nothing they mount outlives them. Needs root, debootstrap and unshare.
 */
final class DebianRoot {
    /** Change it whenever what debootstrap is asked for changes: a new key makes a new cached root. */
    static final String KEY = "bookworm-minbase-jre17-systemd-v2";
    private static final List<String> INCLUDE = List.of("adduser", "init-system-helpers", "openjdk-17-jre-headless",
            "systemd");
    private static final Path CACHE = Path.of(env("SOLSTICE_DEBOOTSTRAP_CACHE", "/var/cache/solstice-orchestrator-test"));
    private static final String MIRROR = env("SOLSTICE_DEBIAN_MIRROR", "http://deb.debian.org/debian");

    private final CommandRunner runner = new CommandRunner();
    private final Path root;

    private DebianRoot(Path root) {
        this.root = root;
    }

    /** A fresh copy of the cached root under {@code dir} (the cached one is debootstrapped first if missing). */
    static DebianRoot copyInto(Path dir) {
        Path cached = cached();
        Path root = dir.resolve("root");
        new CommandRunner().check(List.of("cp", "-a", cached.toString(), root.toString()), Duration.ofMinutes(10));
        return new DebianRoot(root);
    }

    private static synchronized Path cached() {
        Path cached = CACHE.resolve(KEY);
        if (Files.isDirectory(cached)) {
            return cached;
        }
        Path partial = CACHE.resolve(KEY + ".partial");
        CommandRunner runner = new CommandRunner();
        runner.check(List.of("rm", "-rf", partial.toString()), Duration.ofMinutes(5));
        runner.check(List.of("mkdir", "-p", CACHE.toString()), Duration.ofSeconds(30));
        runner.check(List.of("debootstrap", "--variant=minbase", "--include=" + String.join(",", INCLUDE),
                "bookworm", partial.toString(), MIRROR), Duration.ofMinutes(30));
        runner.check(List.of("rm", "-rf", partial.resolve("var/cache/apt/archives").toString()), Duration.ofMinutes(1));
        runner.check(List.of("mv", partial.toString(), cached.toString()), Duration.ofMinutes(1));
        return cached;
    }

    Path path() {
        return root;
    }

    /** A path inside the root, e.g. {@code file("/etc/passwd")}. */
    Path file(String absolute) {
        return root.resolve(absolute.substring(1));
    }

    /** Runs the command chrooted in the root and returns its result whatever its exit status. */
    CommandResult run(String... command) {
        return runner.run(chrooted(List.of(command)), Duration.ofMinutes(5));
    }

    /** Starts the command chrooted in the root, its output to {@code log}; {@link #stop} ends it. */
    Process start(Path log, List<String> command) throws IOException {
        return new ProcessBuilder(chrooted(command)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /**
     * Ends a command {@link #start} started and everything it started: unshare ignores SIGTERM while it waits,
     * so SIGKILL; its --kill-child then kills the namespace's first process, and the PID namespace dies with it.
     */
    void stop(Process started) {
        started.destroyForcibly();
        try {
            if (!started.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("unshare did not end within 60 s of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private List<String> chrooted(List<String> command) {
        List<String> chrooted = new ArrayList<>(List.of("unshare", "--mount", "--pid", "--fork", "--kill-child",
                "--mount-proc=" + root.resolve("proc"), "chroot", root.toString(), "env", "-i",
                "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8", "DEBIAN_FRONTEND=noninteractive"));
        chrooted.addAll(command);
        return chrooted;
    }

    /** Runs the command chrooted in the root; it must exit 0. Returns its standard output. */
    String check(String... command) {
        CommandResult result = run(command);
        if (result.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + result.exitCode() + " in the root:\n"
                    + result.stdout() + "\n" + result.stderr());
        }
        return result.stdout();
    }

    /** Every path in the root (as "/etc/passwd"), but the kernel's file systems. */
    Set<String> paths() {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.map(p -> "/" + root.relativize(p))
                    .filter(p -> !p.startsWith("/proc/") && !p.startsWith("/sys/") && !p.startsWith("/dev/"))
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the copy. */
    void delete() {
        runner.run(List.of("rm", "-rf", "--one-file-system", root.toString()), Duration.ofMinutes(5));
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
