package org.solstice.orchestrator.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.solstice.orchestrator.testing.ImageDefinitions.anImage;
import static org.solstice.orchestrator.testing.JobRequests.aJob;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.config.ImageDefinition;
import org.solstice.orchestrator.job.JobRunnerTest.ScriptedHypervisor;
import org.solstice.orchestrator.messaging.JobResult;

/** A guest that writes its job to the job channel: the channel is the job's log and its report wins. */
class JobChannelRunnerTest {
    private static final String BOOT = "Linux version 6.1\nvirtio_console: ok\n";

    @TempDir
    Path dir;

    private final List<JobResult> results = Collections.synchronizedList(new ArrayList<>());
    private JobPolicy policy;
    private AcceptedJob job;

    private void run(ScriptedHypervisor hv) {
        policy = new JobPolicy(dir, "test", Duration.ofMinutes(1), Duration.ofSeconds(1));
        ImageDefinition image = anImage().at(dir.resolve("img")).build();
        job = new AcceptedJob(aJob().build(), "label", image, new byte[0], System.nanoTime());
        new JobRunner(hv, (j, outcome, result) -> results.add(result), policy, new RunningJobs(), JobListener.NONE)
                .run(job, dir.resolve("img"));
    }

    private String kept(Path file) {
        await("the job's kept log " + file.getFileName()).atMost(Duration.ofSeconds(10))
                .until(() -> Files.isRegularFile(file));
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theChannelIsTheJobsLogAndItsReportWinsOverTheConsole() {
        ScriptedHypervisor hv = new ScriptedHypervisor(Duration.ZERO);
        hv.console = BOOT + "SOLSTICE_JOB_EXIT=0 <token>\n";
        hv.channel = "O compiling\nO error: test failed\n\nX 3 <token>\n";

        run(hv);

        JobResult r = results.get(0);
        assertThat(r.exitCode()).as(r.summary()).isEqualTo(3);
        assertThat(r.summary()).contains("job exited with status 3").contains("compiling\nerror: test failed")
                .doesNotContain("Linux version");
        assertThat(kept(policy.jobLog(job.id()))).isEqualTo("compiling\nerror: test failed\n");
        assertThat(kept(policy.consoleLog(job.id()))).startsWith(BOOT);
        await("the job directory removed").atMost(Duration.ofSeconds(10))
                .until(() -> !Files.exists(policy.jobDir(job.id())));
    }

    @Test
    void withoutAReportOnTheChannelTheConsoleMarkerIsTheFallback() {
        ScriptedHypervisor hv = new ScriptedHypervisor(Duration.ZERO);
        hv.console = BOOT + "SOLSTICE_JOB_EXIT=0 <token>\n";
        hv.channel = "O done\n";

        run(hv);

        JobResult r = results.get(0);
        assertThat(r.exitCode()).as(r.summary()).isZero();
        assertThat(r.summary()).contains("done").doesNotContain("Linux version");
    }

    @Test
    void aReportWithAnotherTokenOnTheChannelDecidesNothing() {
        ScriptedHypervisor hv = new ScriptedHypervisor(Duration.ZERO);
        hv.console = BOOT;
        hv.channel = "O hello\nX 0 0123456789abcdef01234567\n";

        run(hv);

        JobResult r = results.get(0);
        assertThat(r.exitCode()).isEqualTo(JobResult.NO_EXIT_CODE);
        assertThat(r.summary()).contains("ended without reporting").contains("hello").doesNotContain("Linux");
        assertThat(kept(policy.jobLog(job.id()))).isEqualTo("hello\n[solstice: job channel: 1 unreadable record(s)"
                + " skipped]\n");
    }

    @Test
    void aGuestThatNeverUsedTheChannelKeepsTheConsoleAsItsLog() {
        ScriptedHypervisor hv = new ScriptedHypervisor(Duration.ZERO);
        hv.console = BOOT + "SOLSTICE_JOB_EXIT=1 <token>\n";

        run(hv);

        assertThat(results.get(0).exitCode()).isEqualTo(1);
        assertThat(results.get(0).summary()).contains("Linux version");
        assertThat(kept(policy.jobLog(job.id()))).startsWith(BOOT);
        assertThat(policy.consoleLog(job.id())).doesNotExist();
    }
}
