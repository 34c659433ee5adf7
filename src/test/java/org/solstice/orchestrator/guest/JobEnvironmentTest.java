package org.solstice.orchestrator.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.solstice.orchestrator.testing.JobRequests.aJob;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.messaging.JobRequest;
import org.solstice.orchestrator.process.CommandResult;
import org.solstice.orchestrator.process.CommandRunner;

/** The job's environment, from the rendered bootstrap run by /bin/sh on the host ({@link HostBootstrap}). */
class JobEnvironmentTest {
    private static final String TOKEN = "00112233445566778899aabb";
    private static final String PRINT_ENVIRONMENT = """
            for v in HOME USER LOGNAME SHELL PATH CI SOLSTICE_WORKSPACE SOLSTICE_COMMIT_SHA; do
                eval "printf '%s' \\"\\$$v\\"" > "$OUT/$v"
            done
            pwd > "$OUT/pwd"
            echo written > "$HOME/proof"
            exit 4
            """;

    @TempDir
    Path dir;
    @TempDir
    Path homes;

    private final JobRequest job = aJob().build();

    @Test
    void theJobGetsItsUsersHomeAndNamesCiTruePathAndAWorkingDirectoryOfItsOwn() throws Exception {
        HostBootstrap host = new HostBootstrap(dir);
        Path home = homes.resolve("root-home"); // missing: the bootstrap creates it
        String script = BootstrapScript.render(job, "label", PRINT_ENVIRONMENT, TOKEN, "root");

        CommandResult result = host.run(script, HostBootstrap.entryForThisUser("root", home, "/bin/bash"));

        assertThat(result.stdout()).as(result.stderr()).contains("SOLSTICE_JOB_EXIT=4 " + TOKEN);
        Path out = host.out();
        assertThat(out.resolve("HOME")).hasContent(home.toString());
        assertThat(out.resolve("USER")).hasContent("root");
        assertThat(out.resolve("LOGNAME")).hasContent("root");
        assertThat(out.resolve("SHELL")).hasContent("/bin/bash");
        assertThat(out.resolve("CI")).hasContent("true");
        assertThat(out.resolve("PATH")).hasContent(JobEnvironment.PATH);
        assertThat(out.resolve("SOLSTICE_COMMIT_SHA")).hasContent(job.commitSha());
        String workspace = Files.readString(out.resolve("SOLSTICE_WORKSPACE"));
        assertThat(workspace).startsWith(home + "/solstice-job.");
        assertThat(Files.readString(out.resolve("pwd")).strip()).isEqualTo(workspace);
        assertThat(home.resolve("proof")).as("the job can write under HOME").hasContent("written");
        assertThat(out.resolve("poweroff-called")).as("the bootstrap still powers off").exists();
    }

    @Test
    void rootWithoutAPasswdEntryGetsSlashRoot() {
        String script = BootstrapScript.render(job, "label", PRINT_ENVIRONMENT, TOKEN, "root");

        assertThat(script).contains("solstice_entry='root:x:0:0:root:/root:/bin/sh'");
    }

    @Test
    void aUserTheImageDoesNotHaveFailsTheJobSayingSo() throws Exception {
        HostBootstrap host = new HostBootstrap(dir);
        String script = BootstrapScript.render(job, "label", "echo ran > \"$OUT/ran\"\n", TOKEN, "no_such_user_x");

        CommandResult result = host.run(script, null);

        assertThat(result.stderr()).contains("solstice: the job's user 'no_such_user_x' does not exist in this image");
        assertThat(result.stdout()).contains("SOLSTICE_JOB_EXIT=" + JobEnvironment.SETUP_FAILED + " " + TOKEN);
        assertThat(host.out().resolve("ran")).as("the body did not run").doesNotExist();
    }

    @Test
    void theBodyIsPassedVerbatimEvenWhenItHoldsTheDelimiter() throws Exception {
        HostBootstrap host = new HostBootstrap(dir);
        String body = "cat > \"$OUT/text\" <<'X'\nSOLSTICE_JOB_BODY_END\n$(not run) `nor this` 'q' \"d\" \\\nX\n";

        CommandResult result = host.run(BootstrapScript.render(job, "label", body, TOKEN, "root"),
                HostBootstrap.entryForThisUser("root", homes, "/bin/sh"));

        assertThat(result.stdout()).as(result.stderr()).contains("SOLSTICE_JOB_EXIT=0 " + TOKEN);
        assertThat(host.out().resolve("text"))
                .hasContent("SOLSTICE_JOB_BODY_END\n$(not run) `nor this` 'q' \"d\" \\");
    }

    @Test
    void aNamedUserRunsTheBodyAsItselfWithItsHomeAndWorkspace() throws Exception {
        boolean root = "0".equals(new CommandRunner()
                .check(List.of("id", "-u"), Duration.ofSeconds(10)).stdout().strip());
        assertThat(root && (Files.isExecutable(Path.of("/usr/sbin/runuser"))
                || Files.isExecutable(Path.of("/sbin/runuser"))))
                .as("this test switches to another user: run the suite as root (./test.sh) with runuser"
                        + " (util-linux) installed").isTrue();
        HostBootstrap host = new HostBootstrap(dir);
        Files.setPosixFilePermissions(homes, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path home = homes.resolve("runner-home");
        String body = """
                echo "who: $(id -u) $USER $LOGNAME $HOME $SHELL CI=$CI"
                echo "pwd: $(pwd)"
                touch "$HOME/mine" && echo "wrote under HOME"
                """;

        CommandResult result = host.run(BootstrapScript.render(job, "label", body, TOKEN, "nobody"),
                "nobody:x:65534:65534:nobody:" + home + ":/bin/sh");

        assertThat(result.stdout()).as(result.stderr())
                .contains("who: 65534 nobody nobody " + home + " /bin/sh CI=true")
                .containsPattern("pwd: " + Pattern.quote(home.toString()) + "/solstice-job\\.\\w+\n")
                .contains("wrote under HOME")
                .contains("SOLSTICE_JOB_EXIT=0 " + TOKEN);
        assertThat(Files.getOwner(home.resolve("mine")).getName()).isEqualTo("nobody");
    }

    @Test
    void onlyPortableUserNamesAreAccepted() {
        assertThat(JobEnvironment.isUserName("runner")).isTrue();
        assertThat(JobEnvironment.isUserName("_ci-user2")).isTrue();
        assertThat(JobEnvironment.isUserName("Root")).isFalse();
        assertThat(JobEnvironment.isUserName("a b")).isFalse();
        assertThat(JobEnvironment.isUserName("x;rm")).isFalse();
        assertThatThrownBy(() -> BootstrapScript.render(job, "label", null, TOKEN, "$(x)"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
