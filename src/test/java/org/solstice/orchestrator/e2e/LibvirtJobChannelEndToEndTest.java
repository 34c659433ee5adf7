package org.solstice.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.solstice.orchestrator.testing.JobRequests.aJob;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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
import org.solstice.orchestrator.job.JobListener;
import org.solstice.orchestrator.messaging.AmqpSettings;
import org.solstice.orchestrator.messaging.JobClient;
import org.solstice.orchestrator.messaging.JobRequest;
import org.solstice.orchestrator.messaging.JobResult;
import org.solstice.orchestrator.testing.KeptLogs;
import org.solstice.orchestrator.testing.RabbitMq;

/**
 * The job's own channel on real QEMU: the test guest built with virtio_console finds the virtio-serial port
 * org.solstice.job.0, so the job's output and exit report go there; the kept job log is the job's output only
 * and the console (boot messages) is kept beside it. The console fallback is what {@link LibvirtEndToEndTest}
 * runs (its image has no virtio_console).
 */
@Tag("libvirt")
class LibvirtJobChannelEndToEndTest {
    private static final Duration RESULT_WAIT = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    private final AmqpSettings amqp = RabbitMq.uniqueSettings(2);
    private final List<UUID> jobs = new ArrayList<>();
    private Path stateDir;
    private Daemon daemon;
    private JobClient client;

    @BeforeEach
    void startDaemon() throws Exception {
        LibvirtTestEnvironment.requireLibvirt();
        TestImageMap map = TestImageMap.writeChannel(dir);
        stateDir = dir.resolve("state");
        DaemonConfig config = DaemonConfig.builder()
                .imageMapFile(map.file())
                .maxConcurrency(1)
                .maxPending(2)
                .amqp(amqp)
                .hypervisor(LibvirtHypervisor.NAME)
                .backendOption(LibvirtHypervisor.NAME, LibvirtProvider.URI, LibvirtTestEnvironment.URI)
                .backendOption(LibvirtHypervisor.NAME, LibvirtProvider.NETWORK, LibvirtTestEnvironment.NETWORK)
                .stateDir(stateDir)
                .instanceId("e2e-" + UUID.randomUUID().toString().substring(0, 8))
                .drainTimeout(Duration.ofMinutes(1))
                .jobTimeout(Duration.ofMinutes(3))
                .shutdownTimeout(Duration.ofSeconds(10))
                .imageParallelism(1)
                .maxAttempts(3)
                .reconcileInterval(Duration.ofMinutes(1))
                .build();
        daemon = new Daemon(config, JobListener.NONE);
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

    private JobResult run(String workflowJobId) throws InterruptedException {
        JobRequest job = aJob().runsOn(TestImageMap.CHANNEL_LABEL).workflowJobId(workflowJobId).build();
        jobs.add(job.requestId());
        client.publish(job);
        return client.awaitResult(job.requestId(), RESULT_WAIT)
                .orElseThrow(() -> new AssertionError("no result for job " + job.requestId() + " within " + RESULT_WAIT));
    }

    @Test
    void theJobsOutputAndExitCodeComeFromTheChannelAndTheConsoleIsKeptBeside() throws Exception {
        JobResult result = run("noeol-exit-3");
        UUID id = jobs.get(0);

        assertThat(result.exitCode()).as(result.summary()).isEqualTo(3);
        assertThat(result.summary()).startsWith("job exited with status 3").contains("e2e: progress 100%")
                .doesNotContain("solstice-testvm").doesNotContain("solstice: job");
        String jobLog = KeptLogs.await(stateDir, id);
        assertThat(jobLog).isEqualTo("e2e: job noeol-exit-3 at commit " + result.commitSha()
                + "\ne2e: progress 100%\n");
        String console = Files.readString(stateDir.resolve("logs").resolve(id + ".console.log"),
                StandardCharsets.UTF_8);
        assertThat(console).contains("solstice: job " + id + " starting").doesNotContain("e2e: job");
        Leftovers.assertNoneLeft(stateDir, jobs);
    }

    @Test
    void markersWithoutTheJobsTokenOnTheChannelAreOutputAndDoNotEndTheJob() throws Exception {
        JobResult result = run("fake-marker");

        assertThat(result.exitCode()).as(result.summary()).isEqualTo(5);
        assertThat(KeptLogs.await(stateDir, jobs.get(0))).contains("SOLSTICE_JOB_EXIT=0\n")
                .contains("e2e: still running after the fake markers\n").doesNotContain("solstice-testvm");
        Leftovers.assertNoneLeft(stateDir, jobs);
    }
}
