package org.solstice.orchestrator.hypervisor.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.guest.BootstrapScript;
import org.solstice.orchestrator.guest.HostBootstrap;
import org.solstice.orchestrator.guest.JobEnvironment;
import org.solstice.orchestrator.guest.ShellQuote;
import org.solstice.orchestrator.messaging.JobRequest;
import org.solstice.orchestrator.messaging.JobSource;
import org.solstice.orchestrator.process.CommandResult;
import org.solstice.orchestrator.process.CommandRunner;

/**
 * Runs the user-data bootstrap the libvirt backend seeds, with /bin/sh on the host, against hostile message
 * values: every SOLSTICE_* value must arrive byte for byte and nothing injected may run. Three things are
 * neutralised for the host: the console redirect (it would write to the host's /dev/ttyS0) points at a file,
 * poweroff is a fake on PATH that records it was called, and the job user's passwd entry has a test HOME.
 */
class LibvirtBootstrapScriptQuotingTest {
    private static final String TTY_LOOP = "for solstice_tty in /dev/ttyS0 /dev/console; do";

    @TempDir
    Path dir;
    @TempDir
    Path home;

    @Test
    void hostileValuesRoundTripAndRunNothing() throws Exception {
        Path pwned = dir.resolve("pwned");
        String touch = "touch " + pwned;
        String label = "caf\u00e9 \t'\"'\"' ; " + touch + " #";
        JobRequest job = new JobRequest(UUID.randomUUID(), JobSource.MANUAL,
                "https://example.org/a.git'; " + touch + "; echo '",
                "$(" + touch + ")",
                "`" + touch + "`/\"$HOME\"/${PATH}/\\n\\'",
                "line one\nline two'\n" + touch + "\n'",
                label,
                Instant.parse("2026-11-24T10:15:30Z"), null, null);

        Path out = Files.createDirectory(dir.resolve("out"));
        StringBuilder body = new StringBuilder();
        for (String name : BootstrapScript.environment(job, label).keySet()) {
            body.append("printf '%s' \"$").append(name).append("\" > \"$OUT/").append(name).append("\"\n");
        }
        String script = BootstrapScript.render(job, label, body.toString());
        assertThat(script).contains(TTY_LOOP);
        Path scriptFile = dir.resolve("user-data");
        Files.writeString(scriptFile, script.replace(TTY_LOOP,
                "for solstice_tty in " + dir.resolve("no-tty") + "; do").replace(JobEnvironment.LOOKUP,
                "solstice_entry=" + ShellQuote.quote(HostBootstrap.entryForThisUser("root", home, "/bin/sh"))),
                StandardCharsets.UTF_8);

        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path poweroff = bin.resolve("poweroff");
        Files.writeString(poweroff, "#!/bin/sh\necho \"$@\" > \"$OUT/poweroff-called\"\n");
        Files.setPosixFilePermissions(poweroff, PosixFilePermissions.fromString("rwxr-xr-x"));

        CommandRunner runner = new CommandRunner(Map.of("PATH", bin + ":" + System.getenv("PATH"),
                "OUT", out.toString()));
        CommandResult result = runner.run(List.of("/bin/sh", scriptFile.toString()), Duration.ofSeconds(30), dir);

        assertThat(result.exitCode()).as("script exit; stderr: %s", result.stderr()).isZero();
        assertThat(result.stdout()).contains("SOLSTICE_JOB_EXIT=0");
        assertThat(out.resolve("poweroff-called")).as("the script reached its poweroff").hasContent("-f");
        for (Map.Entry<String, String> e : BootstrapScript.environment(job, label).entrySet()) {
            assertThat(Files.readAllBytes(out.resolve(e.getKey()))).as(e.getKey())
                    .isEqualTo(e.getValue().getBytes(StandardCharsets.UTF_8));
        }
        assertThat(pwned).as("an injected command ran").doesNotExist();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("out", "bin", "user-data");
        }
    }
}
