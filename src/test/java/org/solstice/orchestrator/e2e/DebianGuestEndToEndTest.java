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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What users run: a Debian 12 guest with Debian's systemd and cloud-init reading the NoCloud seed, the DEFAULT
 * job body fetching the repository at the requested commit (from the bare repository inside the guest) and
 * running its {@code .solstice/job.sh}, through the whole daemon on real QEMU.
 *
 * <p>Not in the default run (tag {@code debian-guest}, left out by the pom): it needs the image built by
 * {@code testvm/build-debian-image.sh} and several minutes per job under software emulation. Run it with
 * {@code mvn -B test -Dtest=DebianGuestEndToEndTest -Dtest.excludedGroups=}. Each job's timings (accept -> VM
 * started -> bootstrap running -> result) are logged.
 */
@Tag("libvirt")
@Tag("debian-guest")
class DebianGuestEndToEndTest {
    private static final Logger log = LoggerFactory.getLogger(DebianGuestEndToEndTest.class);
    /** A TCG boot to cloud-init's final stage is minutes on a busy 2-core machine. */
    private static final Duration RESULT_WAIT = Duration.ofMinutes(10);

    @TempDir
    Path dir;

    private final AmqpSettings amqp = RabbitMq.uniqueSettings(2);
    private final List<UUID> jobs = new ArrayList<>();
    private final Map<UUID, Instant> accepted = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> vmStarted = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> bootstrapRunning = new ConcurrentHashMap<>();
    private final Map<UUID, Path> consoles = new ConcurrentHashMap<>();
    private final ScheduledExecutorService consoleWatch = Executors.newSingleThreadScheduledExecutor();
    private DebianGuest guest;
    private Path stateDir;
    private Daemon daemon;
    private JobClient client;

    @BeforeEach
    void startDaemon() throws Exception {
        LibvirtTestEnvironment.requireLibvirt();
        guest = DebianGuest.require();
        Path map = guest.writeImageMap(dir, "20m");
        stateDir = dir.resolve("state");
        DaemonConfig config = DaemonConfig.builder()
                .imageMapFile(map)
                .maxConcurrency(2)
                .maxPending(2)
                .amqp(amqp)
                .hypervisor(LibvirtHypervisor.NAME)
                .backendOption(LibvirtHypervisor.NAME, LibvirtProvider.URI, LibvirtTestEnvironment.URI)
                .backendOption(LibvirtHypervisor.NAME, LibvirtProvider.NETWORK, LibvirtTestEnvironment.NETWORK)
                .stateDir(stateDir)
                .instanceId("debian-e2e-" + UUID.randomUUID().toString().substring(0, 8))
                .drainTimeout(Duration.ofMinutes(20))
                .jobTimeout(Duration.ofMinutes(20))
                .shutdownTimeout(Duration.ofSeconds(30))
                .imageParallelism(1)
                .maxAttempts(3)
                .reconcileInterval(Duration.ofMinutes(1))
                .build();
        daemon = new Daemon(config, new JobListener() {
            @Override
            public void accepted(AcceptedJob job) {
                accepted.put(job.id(), Instant.now());
            }

            @Override
            public void provisioning(AcceptedJob job, Path consoleLog) {
                consoles.put(job.id(), consoleLog);
            }

            @Override
            public void vmStarted(AcceptedJob job, Duration sinceAccepted) {
                vmStarted.put(job.id(), Instant.now());
            }
        });
        consoleWatch.scheduleWithFixedDelay(this::noteBootstrapsRunning, 200, 200, TimeUnit.MILLISECONDS);
        daemon.start();
        client = new JobClient(amqp);
        client.watchResults();
    }

    @AfterEach
    void stopDaemon() {
        consoleWatch.shutdownNow();
        if (daemon != null) {
            daemon.shutdown();
        }
        if (client != null) {
            client.close();
        }
        Leftovers.removeDomains(jobs);
        RabbitMq.deleteTopology(amqp);
    }

    /** When the bootstrap's first line reaches the console: the guest booted and cloud-init ran the user-data. */
    private void noteBootstrapsRunning() {
        consoles.forEach((id, console) -> {
            if (!bootstrapRunning.containsKey(id) && Files.isReadable(console)) {
                try {
                    if (Files.readString(console, StandardCharsets.ISO_8859_1).contains("solstice: job " + id
                            + " starting")) {
                        bootstrapRunning.put(id, Instant.now());
                    }
                } catch (java.io.IOException e) {
                    // moved away at teardown: the result is in by then
                }
            }
        });
    }

    private JobRequest publish(String commitSha) {
        JobRequest job = aJob().runsOn(DebianGuest.LABEL).repoUrl(DebianGuest.REPO_URL).commitSha(commitSha)
                .build();
        jobs.add(job.requestId());
        client.publish(job);
        return job;
    }

    private JobResult awaitResult(JobRequest job) throws InterruptedException {
        JobResult result = client.awaitResult(job.requestId(), RESULT_WAIT).orElseThrow(
                () -> new AssertionError("no result for job " + job.requestId() + " within " + RESULT_WAIT));
        Instant now = Instant.now();
        UUID id = job.requestId();
        log.info("debian guest job {}: accept -> VM started {} s, VM started -> bootstrap running {} s,"
                        + " bootstrap running -> result {} s, total {} s", id,
                seconds(accepted.get(id), vmStarted.get(id)), seconds(vmStarted.get(id), bootstrapRunning.get(id)),
                seconds(bootstrapRunning.get(id), now), seconds(accepted.get(id), now));
        return result;
    }

    private String jobLog(JobRequest job) throws Exception {
        Path log = stateDir.resolve("logs").resolve(job.requestId() + ".log");
        await("job log of " + job.requestId() + " kept after teardown").atMost(Duration.ofMinutes(2))
                .until(() -> Files.isRegularFile(log));
        return Files.readString(log, StandardCharsets.ISO_8859_1);
    }

    private static String seconds(Instant from, Instant to) {
        return from == null || to == null ? "?" : String.format("%.1f", Duration.between(from, to).toMillis() / 1000.0);
    }

    @Test
    void aCommitWhoseJobExitsZeroSucceedsWithItsOutputInTheJobLogAndTheResult() throws Exception {
        String sha = guest.commit("exit-0");
        JobRequest job = publish(sha);

        JobResult result = awaitResult(job);

        assertThat(result.success()).as(result.summary()).isTrue();
        assertThat(result.exitCode()).isZero();
        assertThat(result.summary()).startsWith("job succeeded (exit status 0)")
                .contains("e2e: exit-0 from the repository at " + sha);
        assertThat(jobLog(job)).contains("e2e: exit-0 from the repository at " + sha);
        Leftovers.assertNoneLeft(stateDir, jobs);
    }

    @Test
    void aCommitWhoseJobExitsThreeFailsWithExitCodeThree() throws Exception {
        String sha = guest.commit("exit-3");
        JobRequest job = publish(sha);

        JobResult result = awaitResult(job);

        assertThat(result.success()).isFalse();
        assertThat(result.exitCode()).as(result.summary()).isEqualTo(3);
        assertThat(result.summary()).startsWith("job exited with status 3")
                .contains("e2e: exit-3 from the repository at " + sha);
        Leftovers.assertNoneLeft(stateDir, jobs);
    }

    @Test
    void aCommitThatDoesNotExistFailsSayingItCouldNotBeFetched() throws Exception {
        String missing = "0123456789abcdef0123456789abcdef01234567";
        JobRequest job = publish(missing);

        JobResult result = awaitResult(job);

        assertThat(result.success()).isFalse();
        assertThat(result.exitCode()).as(result.summary()).isEqualTo(128);
        assertThat(result.summary()).as("git's own words: the repository has no such commit")
                .contains("fatal: remote error: upload-pack: not our ref " + missing);
        Leftovers.assertNoneLeft(stateDir, jobs);
    }

    @Test
    void twoJobsAtOnceEachGetTheirOwnResult() throws Exception {
        String ok = guest.commit("exit-0");
        String three = guest.commit("exit-3");
        JobRequest first = publish(ok);
        JobRequest second = publish(three);

        JobResult firstResult = awaitResult(first);
        JobResult secondResult = awaitResult(second);

        assertThat(firstResult.success()).as(firstResult.summary()).isTrue();
        assertThat(firstResult.summary()).contains("e2e: exit-0 from the repository at " + ok);
        assertThat(secondResult.exitCode()).as(secondResult.summary()).isEqualTo(3);
        assertThat(secondResult.summary()).contains("e2e: exit-3 from the repository at " + three);
        assertThat(client.resultCounts()).as("one result per job").containsOnlyKeys(jobs)
                .allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
        Leftovers.assertNoneLeft(stateDir, jobs);
    }
}
