package org.solstice.orchestrator.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.solstice.orchestrator.testing.JobRequests.aJob;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.OrchestratorException;
import org.solstice.orchestrator.messaging.JobClient;
import org.solstice.orchestrator.messaging.JobRequest;
import org.solstice.orchestrator.messaging.JobResult;
import org.solstice.orchestrator.store.JobState;
import org.solstice.orchestrator.testing.NoopDaemonHarness;
import org.solstice.orchestrator.testing.NoopDaemons;
import org.solstice.orchestrator.testing.RabbitMq;
import org.solstice.orchestrator.testing.StoredJobs;
import org.solstice.orchestrator.testing.TcpProxy;

/** The whole daemon on the noop backend against the real RabbitMQ. */
class DaemonIntegrationTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final NoopDaemons daemons = new NoopDaemons();

    private NoopDaemonHarness harness;


    /** Runs {@link Daemon#start()} on a thread of its own; what it throws lands in {@code failure}. */
    private static Thread startInBackground(Daemon daemon, AtomicReference<Throwable> failure) {
        Thread starter = new Thread(() -> {
            try {
                daemon.start();
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        starter.start();
        return starter;
    }

    private static JobResult awaitResult(JobClient client, UUID id) throws InterruptedException {
        return client.awaitResult(id, Duration.ofSeconds(30))
                .orElseThrow(() -> new AssertionError("no result for job " + id + " within 30 s"));
    }

    @Test
    void everyAcceptedJobEndsInExactlyOneResult() throws Exception {
        harness = daemons.in(dir).maxConcurrency(4);
        harness.start();
        JobClient client = harness.client();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            JobRequest job = aJob().runsOn(i % 3 == 0 ? "illumos" : i % 3 == 1 ? "linux" : null).build();
            client.publish(job);
            ids.add(job.requestId());
        }

        for (UUID id : ids) {
            JobResult result = awaitResult(client, id);
            assertThat(result.success()).isTrue();
            assertThat(result.exitCode()).isZero();
            assertThat(result.summary()).startsWith("[noop backend: no virtual machine was started]");
            assertThat(result.repoUrl()).isEqualTo("https://code.example.org/acme/widgets.git");
        }
        await("no second result for any job, for 500 ms").during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(client.resultCounts()).hasSize(30)
                        .allSatisfy((id, count) -> assertThat(count).isEqualTo(1)));
        assertThat(harness.daemon().state().global().inUse()).isZero();
    }

    @Test
    void aMessageThatIsNotJsonIsDeadLetteredWithoutAResult() throws Exception {
        harness = daemons.in(dir);
        harness.start();
        JobClient client = harness.client();

        client.publishRaw("garbage-1", "this is not json".getBytes(StandardCharsets.UTF_8));
        JobRequest good = aJob().build();
        client.publish(good);

        awaitResult(client, good.requestId());
        assertThat(RabbitMq.messageCount(harness.amqp().deadLetterQueue())).isEqualTo(1);
        assertThat(client.results()).containsOnlyKeys(good.requestId());
    }

    @Test
    void aMalformedFieldIsDeadLetteredAndAFailedResultSaysWhy() throws Exception {
        harness = daemons.in(dir);
        harness.start();
        JobClient client = harness.client();
        UUID id = UUID.randomUUID();
        String body = """
                {"schema_version": "jobrequest.v1", "request_id": "%s", "source": "Github",
                 "repo_url": "https://code.example.org/acme/widgets.git", "commit_sha": "$(reboot)",
                 "submitted_at": "2026-11-24T10:15:30Z", "repo_owner": "acme", "repo_name": "widgets"}
                """.formatted(id);

        client.publishRaw(id.toString(), body.getBytes(StandardCharsets.UTF_8));

        JobResult result = awaitResult(client, id);
        assertThat(result.success()).isFalse();
        assertThat(result.exitCode()).isEqualTo(JobResult.NO_EXIT_CODE);
        assertThat(result.summary()).startsWith("job rejected: commit_sha must be 7 to 64 hex digits");
        assertThat(result.repoOwner()).isEqualTo("acme");
        assertThat(RabbitMq.messageCount(harness.amqp().deadLetterQueue())).isEqualTo(1);
    }

    @Test
    void aLabelThatResolvesToNothingIsDeadLetteredWithAFailedResult() throws Exception {
        harness = daemons.in(dir);
        harness.start();
        JobClient client = harness.client();
        JobRequest job = aJob().runsOn("windows-2022").build();

        client.publish(job);

        JobResult result = awaitResult(client, job.requestId());
        assertThat(result.success()).isFalse();
        assertThat(result.summary()).isEqualTo("job rejected: no orchestrator serves runs_on label 'windows-2022' (no"
                + " queue is bound to it on exchange '" + harness.amqp().labelExchange() + "')");
        assertThat(harness.daemon().state().jobsUnroutable()).isEqualTo(1);
        assertThat(RabbitMq.messageCount(harness.amqp().deadLetterQueue())).isEqualTo(1);
    }

    @Test
    void aJobForAnIdleLabelIsTakenStraightFromTheJobQueueAndTheRestWaitInTheLabelsQueueInOrder() throws Exception {
        harness = daemons.in(dir).maxConcurrency(1).maxPending(1).runTime(Duration.ofSeconds(1));
        harness.start();
        JobClient client = harness.client();
        JobRequest first = aJob().build();
        client.publish(first);
        waitUntil(() -> harness.daemon().state().global().inUse() == 1, "the first job to start");
        List<JobRequest> later = List.of(aJob().build(), aJob().build(), aJob().build());
        later.forEach(client::publish);

        awaitResult(client, first.requestId());
        for (JobRequest job : later) {
            assertThat(awaitResult(client, job.requestId()).success()).isTrue();
        }
        assertThat(harness.daemon().state().jobsTakenDirectly()).as("the first found the label idle").isEqualTo(1);
        assertThat(harness.daemon().state().jobsRouted()).as("the others found it busy: through the label's queue")
                .isEqualTo(3);
        java.time.Instant previous = harness.storedJob(first.requestId()).orElseThrow().startedAt();
        for (JobRequest job : later) {
            java.time.Instant started = harness.storedJob(job.requestId()).orElseThrow().startedAt();
            assertThat(started).as("started in the order published").isAfterOrEqualTo(previous);
            previous = started;
        }

        // idle again: the next one skips the label's queue
        waitUntil(() -> harness.daemon().state().global().inUse() == 0, "the last VM's teardown");
        JobRequest next = aJob().build();
        client.publish(next);
        assertThat(awaitResult(client, next.requestId()).success()).isTrue();
        assertThat(harness.daemon().state().jobsTakenDirectly()).isEqualTo(2);
        assertThat(harness.daemon().state().jobsRouted()).isEqualTo(3);
    }

    private static void waitUntil(java.util.concurrent.Callable<Boolean> condition, String what) {
        await(what).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10)).until(condition);
    }

    @Test
    void theBacklogStaysInTheBroker() throws Exception {
        harness = daemons.in(dir).maxConcurrency(1).maxPending(1).runTime(Duration.ofSeconds(4));
        harness.start();
        JobClient client = harness.client();
        for (int i = 0; i < 10; i++) {
            client.publish(aJob().build());
        }
        // 1 running, 1 accepted and waiting, 1 delivered (prefetch 1) and held unacknowledged: 7 stay ready in
        // the label's queue (the router moved all ten there)
        StoredJobs.awaitExactly(harness.dir().resolve("state"), Map.of(JobState.RUNNING, 1, JobState.ACCEPTED, 1));
        await("7 jobs ready in the label's queue, none in the job queue, 1 running, steady for 500 ms")
                .during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> {
                    assertThat(RabbitMq.messageCount(harness.amqp().labelQueue("linux"))).isEqualTo(7);
                    assertThat(RabbitMq.messageCount(harness.amqp().jobQueue())).isZero();
                    assertThat(harness.daemon().state().global().inUse()).isEqualTo(1);
                });
    }

    @Test
    void aCutConnectionIsSurvivedWithoutLosingOrDuplicatingJobs() throws Exception {
        try (TcpProxy proxy = TcpProxy.toBroker().start()) {
            harness = daemons.in(dir).maxConcurrency(3).runTime(Duration.ofMillis(1500))
                    .daemonAmqpUri(proxy.amqpUri());
            harness.start();
            JobClient client = harness.client();
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                JobRequest job = aJob().build();
                client.publish(job);
                ids.add(job.requestId());
            }
            StoredJobs.await(harness.dir().resolve("state"), "three jobs to run when the connection is cut",
                    counts -> counts.getOrDefault(JobState.RUNNING, 0) == 3);

            proxy.cutConnections();
            for (int i = 0; i < 4; i++) {
                JobRequest job = aJob().build();
                client.publish(job);
                ids.add(job.requestId());
            }

            for (UUID id : ids) {
                assertThat(awaitResult(client, id).success()).isTrue();
            }
            await("no second result for any job, for 1 s").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(client.resultCounts()).hasSize(10)
                            .allSatisfy((id, n) -> assertThat(n).isEqualTo(1)));
        }
    }

    @Test
    void aFirstConnectionThatFailsIsRetriedUntilTheBrokerAnswers() throws Exception {
        try (TcpProxy proxy = TcpProxy.toBroker()) {
            harness = daemons.in(dir)
                    .daemonAmqpUri(proxy.amqpUri());
            Daemon daemon = new Daemon(harness.config());
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread starter = startInBackground(daemon, failure);
            await("start-up to keep retrying for 2.5 s, neither exiting nor failing")
                    .during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> {
                        assertThat(starter.isAlive()).as("still retrying, not exited").isTrue();
                        assertThat(failure.get()).isNull();
                    });

            proxy.start();
            starter.join(20_000);
            assertThat(starter.isAlive()).isFalse();
            assertThat(failure.get()).isNull();
            assertThat(daemon.state().consuming()).isTrue();

            JobRequest job = aJob().build();
            harness.client().publish(job);
            assertThat(awaitResult(harness.client(), job.requestId()).success()).isTrue();
            daemon.shutdown();
        }
    }

    @Test
    void shutdownDuringTheFirstConnectionAttemptsEndsStartUp() throws Exception {
        harness = daemons.in(dir).daemonAmqpUri(URI.create("amqp://guest:guest@127.0.0.1:1/%2f"));
        Daemon daemon = new Daemon(harness.config());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread starter = startInBackground(daemon, failure);
        await("start-up to be retrying the connection for 1.5 s").during(Duration.ofMillis(1500))
                .atMost(Duration.ofSeconds(10)).until(starter::isAlive);

        daemon.shutdown();
        starter.join(10_000);

        assertThat(starter.isAlive()).isFalse();
        assertThat(failure.get()).isInstanceOf(OrchestratorException.class).hasMessageContaining("cannot reach RabbitMQ");
    }
}
