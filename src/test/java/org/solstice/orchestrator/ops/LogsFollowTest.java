package org.solstice.orchestrator.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.solstice.orchestrator.testing.JobRequests.aJob;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.messaging.JobRequest;
import org.solstice.orchestrator.testing.NoopDaemonHarness;
import org.solstice.orchestrator.testing.NoopDaemons;
import org.solstice.orchestrator.testing.KeptLogs;

/** {@code orchestrator logs ID --follow}, as a process, prints a real job's console while the job runs. */
class LogsFollowTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final NoopDaemons daemons = new NoopDaemons();

    private NoopDaemonHarness harness;
    private Process follower;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (follower != null && follower.isAlive()) {
            follower.destroyForcibly();
            follower.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private record Line(String text, long atNanos) {
    }

    @Test
    void followShowsTheConsoleWhileTheJobRunsAndEndsWithIt() throws Exception {
        harness = daemons.in(dir).runTime(Duration.ofMillis(3500));
        harness.start();
        JobRequest job = aJob().build();
        follower = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.solstice.orchestrator.Main",
                "logs", "--follow", "--state-dir", dir.resolve("state").toString(), job.requestId().toString())
                .redirectError(dir.resolve("follower.err").toFile()).start();
        List<Line> lines = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(follower.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(new Line(line, System.nanoTime()));
                    }
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
        });
        reader.start();

        harness.client().publish(job); // after the follower started: it waits for the job
        assertThat(harness.client().awaitResult(job.requestId(), Duration.ofSeconds(60))).isPresent();
        long resultAt = System.nanoTime();

        assertThat(follower.waitFor(20, TimeUnit.SECONDS)).as("logs --follow ends with the job").isTrue();
        reader.join(5000);
        assertThat(follower.exitValue()).isZero();
        synchronized (lines) {
            Line first = lines.stream().filter(l -> l.text().equals("noop: running for 1 s")).findFirst()
                    .orElseThrow(() -> new AssertionError("no tick line in " + lines));
            assertThat(first.atNanos()).as("printed while the job ran, before its result").isLessThan(resultAt);
            String printed = String.join("\n", lines.stream().map(Line::text).toList()) + "\n";
            assertThat(printed).isEqualTo(KeptLogs.await(dir.resolve("state"), job.requestId()))
                    .contains("noop: running for 3 s", "SOLSTICE_JOB_EXIT=0");
        }
    }
}
