package org.solstice.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.solstice.orchestrator.testing.JobRequests.aJob;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.daemon.Daemon;
import org.solstice.orchestrator.daemon.DaemonConfig;
import org.solstice.orchestrator.hypervisor.libvirt.LibvirtHypervisor;
import org.solstice.orchestrator.hypervisor.libvirt.LibvirtProvider;
import org.solstice.orchestrator.hypervisor.libvirt.LibvirtTestEnvironment;
import org.solstice.orchestrator.job.AcceptedJob;
import org.solstice.orchestrator.job.JobListener;
import org.solstice.orchestrator.messaging.AmqpSettings;
import org.solstice.orchestrator.messaging.JobClient;
import org.solstice.orchestrator.messaging.JobRequest;
import org.solstice.orchestrator.messaging.JobResult;
import org.solstice.orchestrator.testing.RabbitMq;

/**
 * The whole product on real QEMU: a JobRequest on the real broker, the daemon (in-process, libvirt backend),
 * a real guest booted from the test image that runs the image's job script, and the JobResult. After every job:
 * no domain and no job file left. Each test has its own broker names, state directory and instance id.
 */
@Tag("libvirt")
class LibvirtEndToEndTest {
    /** A TCG boot takes about 10 s on an idle 2-core machine; allow for a busy one. */
    private static final Duration RESULT_WAIT = Duration.ofMinutes(2);
    /** Long enough that a guest obeying the power button is off well before it, even on a busy machine. */
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final AmqpSettings amqp = RabbitMq.uniqueSettings(2);
    private final List<UUID> jobs = new ArrayList<>();
    private final Map<UUID, Instant> vmStarted = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> vmFinished = new ConcurrentHashMap<>();
    private Path stateDir;
    private Daemon daemon;
    private JobClient client;

    @BeforeEach
    void startDaemon() throws Exception {
        LibvirtTestEnvironment.requireLibvirt();
        TestImageMap map = TestImageMap.write(dir);
        stateDir = dir.resolve("state");
        DaemonConfig config = DaemonConfig.builder()
                .imageMapFile(map.file())
                .maxConcurrency(2)
                .maxPending(2)
                .amqp(amqp)
                .hypervisor(LibvirtHypervisor.NAME)
                .backendOption(LibvirtHypervisor.NAME, LibvirtProvider.URI, LibvirtTestEnvironment.URI)
                .backendOption(LibvirtHypervisor.NAME, LibvirtProvider.NETWORK, LibvirtTestEnvironment.NETWORK)
                .stateDir(stateDir)
                .instanceId("e2e-" + UUID.randomUUID().toString().substring(0, 8))
                .drainTimeout(Duration.ofMinutes(1))
                .jobTimeout(Duration.ofMinutes(3))
                .shutdownTimeout(SHUTDOWN_TIMEOUT)
                .imageParallelism(1)
                .maxAttempts(3)
                .reconcileInterval(Duration.ofMinutes(1))
                .build();
        daemon = new Daemon(config, new JobListener() {
            @Override
            public void vmStarted(AcceptedJob job, Duration sinceAccepted) {
                vmStarted.put(job.id(), Instant.now());
            }

            @Override
            public void vmFinished(AcceptedJob job, Duration runTime) {
                vmFinished.put(job.id(), Instant.now());
            }
        });
        daemon.start();
        client = new JobClient(amqp);
        client.watchResults();
    }

    @AfterEach
    void stopDaemon() {
        if (daemon != null) {
            daemon.shutdown();
        }
        if (client != null) {
            client.close();
        }
        Leftovers.removeDomains(jobs);
        RabbitMq.deleteTopology(amqp);
    }

    private JobRequest publish(String label, String workflowJobId) {
        JobRequest job = aJob().runsOn(label).workflowJobId(workflowJobId).commitSha(randomSha()).build();
        jobs.add(job.requestId());
        client.publish(job);
        return job;
    }

    private JobResult awaitResult(JobRequest job, Duration wait) throws InterruptedException {
        return client.awaitResult(job.requestId(), wait)
                .orElseThrow(() -> new AssertionError("no result for job " + job.requestId() + " within " + wait));
    }

    private String consoleLog(JobRequest job) throws Exception {
        return Files.readString(stateDir.resolve("logs").resolve(job.requestId() + ".log"), StandardCharsets.UTF_8);
    }

    private static String randomSha() {
        StringBuilder sha = new StringBuilder(40);
        for (int i = 0; i < 40; i++) {
            sha.append(Character.forDigit(ThreadLocalRandom.current().nextInt(16), 16));
        }
        return sha.toString();
    }

    @Test
    void aJobThatExitsZeroSucceedsWithItsOutputInTheSummary() throws Exception {
        JobRequest job = publish(TestImageMap.LABEL, "exit-0");

        JobResult result = awaitResult(job, RESULT_WAIT);

        assertThat(result.success()).as(result.summary()).isTrue();
        assertThat(result.exitCode()).isZero();
        assertThat(result.commitSha()).isEqualTo(job.commitSha());
        assertThat(result.summary()).startsWith("job succeeded (exit status 0)")
                .contains("e2e: job exit-0 at commit " + job.commitSha());
        Leftovers.assertNoneLeft(stateDir, jobs);
    }

    @Test
    void aJobThatExitsNonZeroFailsWithItsExitCode() throws Exception {
        JobRequest job = publish(TestImageMap.LABEL, "exit-3");

        JobResult result = awaitResult(job, RESULT_WAIT);

        assertThat(result.success()).isFalse();
        assertThat(result.exitCode()).as(result.summary()).isEqualTo(3);
        assertThat(result.summary()).startsWith("job exited with status 3")
                .contains("e2e: job exit-3 at commit " + job.commitSha());
        Leftovers.assertNoneLeft(stateDir, jobs);
    }

    @Test
    void aJobWhoseOutputEndsWithoutANewlineAndExitsZeroSucceeds() throws Exception {
        JobRequest job = publish(TestImageMap.LABEL, "noeol-exit-0");

        JobResult result = awaitResult(job, RESULT_WAIT);

        assertThat(result.success()).as(result.summary()).isTrue();
        assertThat(result.exitCode()).isZero();
        assertThat(result.summary()).startsWith("job succeeded (exit status 0)").contains("e2e: progress 100%");
        Leftovers.assertNoneLeft(stateDir, jobs);
    }

    @Test
    void aJobWhoseOutputEndsWithoutANewlineAndExitsThreeFailsWithExitCodeThree() throws Exception {
        JobRequest job = publish(TestImageMap.LABEL, "noeol-exit-3");

        JobResult result = awaitResult(job, RESULT_WAIT);

        assertThat(result.success()).isFalse();
        assertThat(result.exitCode()).as(result.summary()).isEqualTo(3);
        assertThat(result.summary()).startsWith("job exited with status 3").contains("e2e: progress 100%");
        Leftovers.assertNoneLeft(stateDir, jobs);
    }

    @Test
    void aJobPrintingMarkersWithoutItsTokenCannotEndItselfEarly() throws Exception {
        JobRequest job = publish(TestImageMap.LABEL, "fake-marker");

        JobResult result = awaitResult(job, RESULT_WAIT);

        assertThat(result.success()).isFalse();
        assertThat(result.exitCode()).as(result.summary()).isEqualTo(5);
        assertThat(result.summary()).startsWith("job exited with status 5")
                .contains("e2e: still running after the fake markers");
        Leftovers.assertNoneLeft(stateDir, jobs);
    }

    @Test
    void theJobSeesItsHomeUserAndCiAndCanWriteUnderHome() throws Exception {
        JobRequest job = publish(TestImageMap.LABEL, "environment");

        JobResult result = awaitResult(job, RESULT_WAIT);

        assertThat(result.success()).as(result.summary()).isTrue();
        assertThat(result.summary())
                .as("root without a passwd entry on the busybox guest: HOME=/root, created")
                .contains("e2e: HOME=/root USER=root LOGNAME=root SHELL=/bin/sh CI=true")
                .containsPattern("e2e: PWD=(/root/solstice-job\\.\\w+) WORKSPACE=\\1\\n")
                .contains("e2e: read back e2e: written");
        Leftovers.assertNoneLeft(stateDir, jobs);
    }

    @Test
    void aQ35GuestFindsItsSeedOnVirtioScsiAndSucceeds() throws Exception {
        JobRequest job = publish(TestImageMap.Q35_LABEL, "exit-0");

        JobResult result = awaitResult(job, RESULT_WAIT);

        assertThat(result.success()).as(result.summary()).isTrue();
        assertThat(result.summary()).startsWith("job succeeded (exit status 0)")
                .contains("e2e: job exit-0 at commit " + job.commitSha());
        Leftovers.assertNoneLeft(stateDir, jobs);
    }

    @Test
    void aUefiGuestBootsThroughOvmfAndSucceeds() throws Exception {
        JobRequest job = publish(TestImageMap.UEFI_LABEL, "exit-0");

        JobResult result = awaitResult(job, RESULT_WAIT);

        assertThat(result.success()).as(result.summary()).isTrue();
        assertThat(result.summary()).contains("e2e: job exit-0 at commit " + job.commitSha());
        Path log = stateDir.resolve("logs").resolve(job.requestId() + ".log");
        await("job log of " + job.requestId() + " kept after teardown").atMost(Duration.ofMinutes(1))
                .until(() -> Files.isRegularFile(log));
        assertThat(consoleLog(job)).as("OVMF's boot manager wrote to the serial console").contains("BdsDxe");
        Leftovers.assertNoneLeft(stateDir, jobs);
    }

    @Test
    void twoJobsRunAtOnceAndEachGetsItsOwnResult() throws Exception {
        JobRequest ok = publish(TestImageMap.LABEL, "sleep-3");
        JobRequest failing = publish(TestImageMap.LABEL, "exit-7");

        JobResult okResult = awaitResult(ok, RESULT_WAIT);
        JobResult failingResult = awaitResult(failing, RESULT_WAIT);

        assertThat(okResult.success()).as(okResult.summary()).isTrue();
        assertThat(okResult.summary()).contains("e2e: job sleep-3 at commit " + ok.commitSha()).contains("e2e: slept");
        assertThat(failingResult.success()).isFalse();
        assertThat(failingResult.exitCode()).as(failingResult.summary()).isEqualTo(7);
        assertThat(failingResult.summary()).contains("e2e: job exit-7 at commit " + failing.commitSha());
        Instant lastStart = max(vmStarted.get(ok.requestId()), vmStarted.get(failing.requestId()));
        Instant firstEnd = min(vmFinished.get(ok.requestId()), vmFinished.get(failing.requestId()));
        assertThat(lastStart).as("both VMs ran at the same time").isBefore(firstEnd);
        await("no second result for either job, for 500 ms").during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(client.resultCounts()).as("one result per job").containsOnlyKeys(jobs)
                        .allSatisfy((id, n) -> assertThat(n).isEqualTo(1)));
        Leftovers.assertNoneLeft(stateDir, jobs);
    }

    @Test
    void aJobThatOverrunsItsTimeoutIsStoppedAndSaysItTimedOut() throws Exception {
        JobRequest job = publish(TestImageMap.SHORT_TIMEOUT_LABEL, "hang");

        JobResult result = awaitResult(job, RESULT_WAIT.plus(TestImageMap.SHORT_TIMEOUT));

        assertThat(result.success()).isFalse();
        assertThat(result.exitCode()).isEqualTo(JobResult.NO_EXIT_CODE);
        assertThat(result.summary()).startsWith("job timed out after " + TestImageMap.SHORT_TIMEOUT.toSeconds()
                + " s; its VM was destroyed");
        assertThat(consoleLog(job)).as("the guest got as far as the job, then obeyed the power button")
                .contains("e2e: job hang at commit").contains("ACPI power button pressed");
        Duration timeoutToOff = Duration.between(vmStarted.get(job.requestId()), vmFinished.get(job.requestId()))
                .minus(TestImageMap.SHORT_TIMEOUT);
        assertThat(timeoutToOff).as("stopped gracefully, before the shutdown timeout").isLessThan(SHUTDOWN_TIMEOUT);
        Leftovers.assertNoneLeft(stateDir, jobs);
    }

    @Test
    void aGuestIgnoringAcpiIsDestroyedAfterTheShutdownTimeout() throws Exception {
        JobRequest job = publish(TestImageMap.SHORT_TIMEOUT_LABEL, "ignore-acpi");

        JobResult result = awaitResult(job, RESULT_WAIT.plus(TestImageMap.SHORT_TIMEOUT).plus(SHUTDOWN_TIMEOUT));

        assertThat(result.success()).isFalse();
        assertThat(result.exitCode()).isEqualTo(JobResult.NO_EXIT_CODE);
        assertThat(result.summary()).startsWith("job timed out after " + TestImageMap.SHORT_TIMEOUT.toSeconds()
                + " s; its VM was destroyed");
        assertThat(consoleLog(job)).as("the guest ignored the power button (it must boot within the job timeout)")
                .contains("e2e: ignoring ACPI").doesNotContain("ACPI power button pressed");
        Duration timeoutToOff = Duration.between(vmStarted.get(job.requestId()), vmFinished.get(job.requestId()))
                .minus(TestImageMap.SHORT_TIMEOUT);
        assertThat(timeoutToOff).as("destroyed only after the shutdown timeout")
                .isGreaterThanOrEqualTo(SHUTDOWN_TIMEOUT).isLessThan(SHUTDOWN_TIMEOUT.plusSeconds(15));
        Leftovers.assertNoneLeft(stateDir, jobs);
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
