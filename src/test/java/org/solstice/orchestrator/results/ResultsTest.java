package org.solstice.orchestrator.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.solstice.orchestrator.testing.ImageDefinitions.anImage;
import static org.solstice.orchestrator.testing.JobRequests.aJob;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.config.ImageDefinition;
import org.solstice.orchestrator.job.AcceptedJob;
import org.solstice.orchestrator.job.JobOutcome;
import org.solstice.orchestrator.messaging.AmqpSettings;
import org.solstice.orchestrator.messaging.ConfirmingPublisher;
import org.solstice.orchestrator.messaging.JobMessageCodec;
import org.solstice.orchestrator.messaging.JobRequest;
import org.solstice.orchestrator.messaging.JobResult;
import org.solstice.orchestrator.messaging.ResultPublisher;
import org.solstice.orchestrator.messaging.Topology;
import org.solstice.orchestrator.store.DatabaseUrl;
import org.solstice.orchestrator.store.JdbcJobStore;
import org.solstice.orchestrator.store.JobRecord;
import org.solstice.orchestrator.store.JobState;
import org.solstice.orchestrator.store.JobStore;
import org.solstice.orchestrator.testing.RabbitMq;

/** Result delivery against an embedded H2 store and the real broker. */
class ResultsTest {
    private static final String INSTANCE = "host-results";
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final AmqpSettings settings = RabbitMq.uniqueSettings(1);
    private final String resultQueue = settings.jobQueue() + ".results-seen";
    private JobStore store;
    private Connection connection;
    private Channel channel;
    private ConfirmingPublisher confirming;
    private Results results;

    @BeforeEach
    void setUp() throws Exception {
        store = JdbcJobStore.open(DatabaseUrl.parse(null, dir));
        connection = RabbitMq.connect();
        channel = connection.createChannel();
        Topology.declare(channel, settings);
        channel.queueDeclare(resultQueue, false, false, false, null);
        channel.queueBind(resultQueue, settings.resultExchange(), "#");
        confirming = new ConfirmingPublisher(connection);
        results = new Results(store, new ResultPublisher(confirming, settings, Duration.ofSeconds(5)), INSTANCE);
    }

    @AfterEach
    void tearDown() throws Exception {
        channel.queueDelete(resultQueue);
        confirming.close();
        connection.close();
        store.close();
        RabbitMq.deleteTopology(settings);
    }

    @Test
    void anUnconfirmedResultInTheOutboxIsPublishedOnceAndMarked() throws Exception {
        JobRequest request = aJob().build();
        JobResult result = JobResult.of(request, true, 0, "done", Instant.now());
        store.accept(accepted(request));
        // stored, but the daemon died before the broker confirmed it
        store.finish(request.requestId(), JobOutcome.SUCCESS.name(),
                new String(JobMessageCodec.encodeResult(result), StandardCharsets.UTF_8));

        assertThat(results.relay()).as("published by the first pass").isEqualTo(1);
        assertThat(results.relay()).as("and by no later one").isZero();

        assertThat(store.find(request.requestId()).orElseThrow().resultPublished()).as("marked published").isTrue();
        assertThat(store.unpublished(INSTANCE)).isEmpty();
        await("the result on the result exchange").atMost(DEADLINE)
                .until(() -> RabbitMq.messageCount(resultQueue) == 1);
        var message = channel.basicGet(resultQueue, true);
        assertThat(JobMessageCodec.decodeResult(message.getBody()).requestId()).isEqualTo(request.requestId());
        assertThat(RabbitMq.messageCount(resultQueue)).as("exactly once").isZero();
    }

    @Test
    void aDeliveredResultIsStoredPublishedAndMarkedSoTheRelayLeavesIt() throws Exception {
        JobRequest request = aJob().build();
        store.accept(accepted(request));
        JobResult result = JobResult.of(request, false, 3, "exit 3", Instant.now());

        boolean confirmed = results.delivery().deliver(job(request), JobOutcome.FAILURE, result);

        assertThat(confirmed).isTrue();
        JobRecord stored = store.find(request.requestId()).orElseThrow();
        assertThat(stored.state()).isEqualTo(JobState.FINISHED);
        assertThat(stored.outcome()).isEqualTo("FAILURE");
        assertThat(stored.resultPublished()).isTrue();
        assertThat(results.relay()).isZero();
        await("the result on the result exchange").atMost(DEADLINE)
                .until(() -> RabbitMq.messageCount(resultQueue) == 1);
    }

    private static JobRecord accepted(JobRequest request) {
        return new JobRecord(request.requestId(), INSTANCE, "linux", "ubuntu",
                new String(JobMessageCodec.encodeRequest(request), StandardCharsets.UTF_8), JobState.ACCEPTED, 0,
                Instant.now(), null, null, null, null, false);
    }

    private AcceptedJob job(JobRequest request) {
        ImageDefinition image = anImage().named("ubuntu").from(null).at(dir.resolve("ubuntu.img")).build();
        return new AcceptedJob(request, "linux", image, JobMessageCodec.encodeRequest(request), System.nanoTime());
    }
}
