package org.solstice.orchestrator.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.solstice.orchestrator.testing.JobRequests.aJob;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.messaging.JobRequest;
import org.solstice.orchestrator.process.CommandResult;

/** The bootstrap with a job channel, run by /bin/sh on the host with a file standing for the channel's device. */
class ChannelBootstrapTest {
    private static final String TOKEN = "00112233445566778899aabb";
    private static final String BODY = "echo out\necho err >&2\necho 'X 0 " + TOKEN + "'\nprintf 'partial'\nexit 3\n";
    private final JobRequest job = aJob().build();

    @TempDir
    Path dir;

    @Test
    void theJobsOutputAndReportGoToTheChannelAndTheConsoleKeepsOnlyTheReport() throws Exception {
        HostBootstrap host = new HostBootstrap(dir);
        Path channel = Files.createFile(dir.resolve("channel"));

        CommandResult result = host.run(BootstrapScript.render(job, "label", BODY, TOKEN, "root"),
                HostBootstrap.entryForThisUser("root", dir.resolve("home"), "/bin/sh"), channel);

        StringBuilder output = new StringBuilder();
        ChannelDecoder decoder = new ChannelDecoder(TOKEN, output::append);
        decoder.feed(Files.readAllBytes(channel));
        decoder.finish();
        assertThat(output).as(result.stdout() + result.stderr())
                .hasToString("out\nerr\nX 0 " + TOKEN + "\npartial\n");
        assertThat(decoder.reported()).hasValue(3);
        assertThat(decoder.problems()).isEmpty();
        assertThat(result.stdout()).contains("SOLSTICE_JOB_EXIT=3 " + TOKEN).doesNotContain("out\n")
                .doesNotContain("partial");
        assertThat(host.out().resolve("poweroff-called")).exists();
    }

    @Test
    void withoutAChannelTheJobsOutputGoesToTheConsole() throws Exception {
        HostBootstrap host = new HostBootstrap(dir);

        CommandResult result = host.run(BootstrapScript.render(job, "label", BODY, TOKEN, "root"),
                HostBootstrap.entryForThisUser("root", dir.resolve("home"), "/bin/sh"), null);

        assertThat(result.stdout()).contains("out\n").contains("partial\nSOLSTICE_JOB_EXIT=3 " + TOKEN);
    }

    @Test
    void aProcessTheJobLeavesRunningDoesNotHoldTheReportBack() throws Exception {
        HostBootstrap host = new HostBootstrap(dir);
        Path channel = Files.createFile(dir.resolve("channel"));
        String body = "sleep 20 &\necho started\nexit 0\n";

        long start = System.nanoTime();
        host.run(BootstrapScript.render(job, "label", body, TOKEN, "root"),
                HostBootstrap.entryForThisUser("root", dir.resolve("home"), "/bin/sh"), channel);

        assertThat((System.nanoTime() - start) / 1_000_000_000).as("seconds the bootstrap took").isLessThan(15);
        ChannelDecoder decoder = new ChannelDecoder(TOKEN, line -> { });
        decoder.feed(Files.readAllBytes(channel));
        assertThat(decoder.reported()).hasValue(0);
    }
}
