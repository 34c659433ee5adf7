package org.solstice.orchestrator.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.messaging.AmqpSettings;
import org.solstice.orchestrator.process.CommandResult;
import org.solstice.orchestrator.process.CommandRunner;
import org.solstice.orchestrator.testing.DaemonProcess;
import org.solstice.orchestrator.testing.Http;
import org.solstice.orchestrator.testing.RabbitMq;

/**
 * The Debian package, installed with dpkg in a throw-away Debian 12 root: what it installs, that its command run as
 * its system user validates the image map and comes up ready as the daemon, that its unit passes systemd-analyze,
 * that an upgrade keeps the state, and that a purge leaves only what Debian policy keeps (the system user; dpkg's
 * own records). Needs root (CI has it); tagged {@code deb} to leave it out elsewhere.
 */
@Tag("deb")
class DebianPackageTest {
    private static final String PACKAGE = "solstice-orchestrator";
    private static final String UNIT = "/lib/systemd/system/solstice-orchestrator.service";
    private static final String IMAGE_MAP = "/etc/solstice-orchestrator/image-map.yaml";
    private static final String STATE_DIR = "/var/lib/solstice-orchestrator";

    /**
     * What may differ in the root after install and purge: the user and group files adduser rewrites (with
     * their backups), dpkg's database and logs, the debconf and deb-systemd-helper bookkeeping, and /run and /tmp
     * (tmpfs on a booted system: adduser's lock, the JVM's hsperfdata of the commands run as solstice).
     */
    private static final Predicate<String> KEPT_BY_POLICY = path -> path.matches("/etc/(passwd|group|shadow|gshadow)-?")
            || path.startsWith("/var/lib/dpkg/") || path.startsWith("/var/log/")
            || path.startsWith("/var/cache/debconf/") || path.startsWith("/var/lib/systemd/deb-systemd-helper-")
            || path.equals("/var/lib/systemd") || path.startsWith("/run/") || path.startsWith("/tmp/");

    private DebianRoot root;

    @AfterEach
    void removeRoot() {
        if (root != null) {
            root.delete();
        }
    }

    @Test
    void installsRunsAsItsUserAndPurgesToWhatPolicyKeeps(@TempDir Path tmp) throws IOException {
        assertThat(isRoot() && onPath("dpkg") && onPath("debootstrap") && onPath("unshare"))
                .as("installing the .deb in a debootstrap root needs root, dpkg, debootstrap and unshare: run ./test.sh"
                        + " as root (it installs debootstrap), or leave this test out with -Dtest.excludedGroups=deb")
                .isTrue();
        Path deb = DebianPackageBuild.deb();
        root = DebianRoot.copyInto(tmp);
        Set<String> before = root.paths();
        Files.copy(deb, root.file("/tmp/" + PACKAGE + ".deb"), StandardCopyOption.REPLACE_EXISTING);

        root.check("dpkg", "-i", "/tmp/" + PACKAGE + ".deb");

        assertThat(root.file("/usr/share/solstice-orchestrator/orchestrator.jar")).isRegularFile();
        assertThat(root.file("/usr/bin/solstice-orchestrator")).isExecutable();
        assertThat(root.file(UNIT)).isRegularFile();
        assertThat(root.check("dpkg-query", "--showformat=${Conffiles}", "--show", PACKAGE)).contains(IMAGE_MAP);
        assertThat(root.check("getent", "passwd", "solstice")).as("the system user")
                .contains(":" + STATE_DIR + ":/usr/sbin/nologin");
        assertThat(root.check("stat", "-c", "%U:%G %a", STATE_DIR)).isEqualTo("solstice:solstice 755\n");

        String validation = root.check("runuser", "-u", "solstice", "--",
                "solstice-orchestrator", "validate-config", "--config", IMAGE_MAP);
        assertThat(validation).contains(IMAGE_MAP + ": valid");
        // the daemon's user can make its job store in the state directory (purge must remove it)
        root.check("runuser", "-u", "solstice", "--", "solstice-orchestrator", "jobs", "list", "--state-dir", STATE_DIR);
        assertThat(root.file(STATE_DIR)).isNotEmptyDirectory();
        daemonAnswersReady(tmp);
        verifyUnit();
        // installing it again is an upgrade: the user and the state directory's owner are kept
        root.check("dpkg", "-i", "/tmp/" + PACKAGE + ".deb");
        Files.delete(root.file("/tmp/" + PACKAGE + ".deb"));
        assertThat(root.check("stat", "-c", "%U:%G", STATE_DIR)).isEqualTo("solstice:solstice\n");
        assertThat(root.file(STATE_DIR)).as("the job store survives an upgrade").isNotEmptyDirectory();
        Files.writeString(root.file("/etc/solstice-orchestrator/orchestrator.env"), "AMQP_URL=amqp://broker\n");

        root.check("dpkg", "--remove", PACKAGE);
        assertThat(root.file("/usr/share/solstice-orchestrator")).doesNotExist();
        assertThat(root.file(IMAGE_MAP)).as("a removed package keeps its conffiles").isRegularFile();

        root.check("dpkg", "--purge", PACKAGE);
        assertThat(root.run("dpkg-query", "--show", PACKAGE).exitCode()).as("dpkg knows the package no more")
                .isNotZero();
        assertThat(root.check("getent", "passwd", "solstice")).as("Debian keeps system users").isNotEmpty();
        Set<String> after = root.paths();
        assertThat(difference(after, before)).as("left behind by install and purge").isEmpty();
        assertThat(difference(before, after)).as("taken away by install and purge").isEmpty();
    }

    /**
     * The installed command as the daemon, run as the package's user with the conffile and the state directory the
     * unit gives it (noop backend, broker names of its own): it comes up ready.
     */
    private void daemonAnswersReady(Path tmp) throws IOException {
        AmqpSettings amqp = RabbitMq.uniqueSettings(1);
        int port = freePort();
        List<String> command = new ArrayList<>(List.of("runuser", "-u", "solstice", "--", "solstice-orchestrator",
                "--config", IMAGE_MAP, "--state-dir", STATE_DIR, "--hypervisor", "noop",
                "--http-port", Integer.toString(port)));
        command.addAll(DaemonProcess.amqpArguments(amqp));
        Path log = tmp.resolve("daemon.log");
        Process daemon = root.start(log, command);
        try {
            await("the installed daemon, run as solstice, to answer /readyz with 200").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptionsInstanceOf(IOException.class) // not listening yet
                    .failFast(() -> assertThat(daemon.isAlive()).as("the daemon exited; its log:\n%s",
                            Files.exists(log) ? Files.readString(log) : "").isTrue())
                    .until(() -> Http.get(port, "/readyz").statusCode(), status -> status == 200);
        } finally {
            root.stop(daemon);
            RabbitMq.deleteTopology(amqp);
        }
        await("the daemon to be gone with its namespace (its port refuses)").atMost(Duration.ofSeconds(30))
                .until(() -> !answers(port));
    }

    private static boolean answers(int port) throws InterruptedException {
        try {
            Http.get(port, "/healthz");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** systemd-analyze verify on the installed unit, against the root's files (ExecStart's java included). */
    private void verifyUnit() {
        if (!onPath("systemd-analyze")) {
            return; // "where available"
        }
        CommandResult result = new CommandRunner().run(List.of("systemd-analyze", "verify",
                "--root=" + root.path(), UNIT), Duration.ofMinutes(1));
        assertThat(result.exitCode()).as("systemd-analyze verify %s:\n%s%s", UNIT, result.stdout(), result.stderr())
                .isZero();
        assertThat(result.stdout() + result.stderr()).as("systemd-analyze's complaints").isBlank();
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> result = new TreeSet<>(a);
        result.removeAll(b);
        result.removeIf(KEPT_BY_POLICY);
        return result;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static boolean onPath(String tool) {
        return new CommandRunner().run(List.of("sh", "-c", "command -v \"$0\"", tool), Duration.ofSeconds(10))
                .exitCode() == 0;
    }
}
