package org.solstice.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.solstice.orchestrator.testing.JobRequests.aJob;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.hypervisor.VmSpec;
import org.solstice.orchestrator.hypervisor.libvirt.LibvirtTestEnvironment;
import org.solstice.orchestrator.messaging.AmqpSettings;
import org.solstice.orchestrator.messaging.JobClient;
import org.solstice.orchestrator.messaging.JobRequest;
import org.solstice.orchestrator.messaging.JobResult;
import org.solstice.orchestrator.store.JobState;
import org.solstice.orchestrator.testing.DaemonProcess;
import org.solstice.orchestrator.testing.RabbitMq;
import org.solstice.orchestrator.testing.StoredJobs;

/**
 * Issue 5's fault test on real QEMU: the daemon, a real process, is killed with SIGKILL while its guests run;
 * the guests outlive it; the daemon started again on the same state directory and instance id adopts them, and
 * every job still ends in exactly one JobResult with nothing left behind.
 */
@Tag("libvirt")
class LibvirtCrashRecoveryTest {
    private static final Duration RESULT_WAIT = Duration.ofMinutes(2);
    /** Each guest boots (~10 s under TCG), then sleeps this long: the daemon dies and comes back meanwhile. */
    private static final String JOB = "sleep-20";

    @TempDir
    Path dir;

    private final AmqpSettings amqp = RabbitMq.uniqueSettings(2);
    private final String instanceId = "crash-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<UUID> jobs = new ArrayList<>();

    @AfterEach
    void tearDown() {
        Leftovers.removeDomains(jobs);
        RabbitMq.deleteTopology(amqp);
    }

    private DaemonProcess startDaemon(String name) throws Exception {
        return DaemonProcess.start(dir, name, amqp, "--hypervisor", "libvirt",
                "--libvirt-uri", LibvirtTestEnvironment.URI, "--libvirt-network", LibvirtTestEnvironment.NETWORK,
                "--state-dir", dir.resolve("state").toString(), "--instance-id", instanceId,
                "--max-concurrency", "2", "--shutdown-timeout", "5s", "--drain-timeout", "60s");
    }

    @Test
    void aDaemonKilledWhileItsGuestsRunAdoptsThemWhenItComesBack() throws Exception {
        LibvirtTestEnvironment.requireLibvirt();
        TestImageMap map = TestImageMap.write(dir); // dir/map.yaml: DaemonProcess uses it
        try (JobClient client = new JobClient(amqp)) {
            client.watchResults();
            try (DaemonProcess first = startDaemon("first")) {
                first.awaitReady();
                for (int i = 0; i < 2; i++) {
                    JobRequest job = aJob().runsOn(TestImageMap.LABEL).workflowJobId(JOB).build();
                    jobs.add(job.requestId());
                    client.publish(job);
                }
                StoredJobs.awaitExactly(dir.resolve("state"), Map.of(JobState.RUNNING, 2), first::isAlive);

                killForcibly(first.process());
            }
            assertThat(Leftovers.runningDomains()).as("the guests outlive the daemon")
                    .contains(jobs.stream().map(VmSpec::vmNameFor).toArray(String[]::new));
            assertThat(client.results()).as("no result before the restart").isEmpty();

            try (DaemonProcess second = startDaemon("second")) {
                second.awaitReady(); // the restart reconciles (adopts the running guests) before it consumes
                for (UUID id : jobs) {
                    JobResult result = client.awaitResult(id, RESULT_WAIT).orElseThrow(() -> new AssertionError(
                            "no result for job " + id + " within " + RESULT_WAIT));
                    assertThat(result.success()).as(result.summary()).isTrue();
                    assertThat(result.summary()).contains("e2e: slept");
                }
                await("no second result for any job, for 2 s").during(Duration.ofSeconds(2))
                        .atMost(Duration.ofSeconds(10))
                        .untilAsserted(() -> assertThat(client.resultCounts()).as("exactly one result per job")
                                .containsOnlyKeys(jobs).allSatisfy((id, n) -> assertThat(n).isEqualTo(1)));
                Leftovers.assertNoneLeft(dir.resolve("state"), jobs);
                assertThat(second.log()).as("adopted, not run again nor reaped")
                        .doesNotContain("running it again").doesNotContain("leaked VM");
                assertThat(second.stop()).isZero();
            }
        }
    }

    /** SIGKILL, only to the daemon this test started, and only while it is that live JVM. */
    private static void killForcibly(Process daemon) throws InterruptedException {
        assertThat(daemon.isAlive()).as("the daemon is running").isTrue();
        assertThat(daemon.toHandle().info().command()).as("process " + daemon.pid() + " is a JVM")
                .hasValueSatisfying(c -> assertThat(c).endsWith("/java"));
        daemon.destroyForcibly();
        assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).as("killed").isTrue();
        assertThat(daemon.exitValue()).as("exit status after SIGKILL").isEqualTo(128 + 9);
    }
}
