package org.solstice.orchestrator.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.solstice.orchestrator.testing.JobRequests.aJob;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.solstice.orchestrator.testing.RabbitMq;

/** The router against the real broker: requests land in their label's queue unchanged, or in the DLQ with a result. */
class JobRouterTest {
    private final AmqpSettings amqp = RabbitMq.uniqueSettings(4);
    private final ExecutorService settling = Executors.newCachedThreadPool();
    private Connection connection;
    private JobRouter router;
    private JobClient client;

    @BeforeEach
    void setUp() throws Exception {
        connection = RabbitMq.connect();
        try (Channel ch = connection.createChannel()) {
            Topology.declare(ch, amqp);
            Topology.declareLabelQueue(ch, amqp, "served");
            Topology.declareLabelQueue(ch, amqp, "the-default");
        }
        client = new JobClient(amqp);
        client.watchResults();
        router = new JobRouter(connection, amqp, "the-default", 8, new ResultPublisher(
                new ConfirmingPublisher(connection), amqp, Duration.ofSeconds(10)), settling, (request, body, label) -> {
                    throw new AssertionError("the router never offers; it only asks takeIfIdle");
                });
        router.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        router.close();
        client.close();
        connection.close();
        settling.shutdownNow();
        RabbitMq.deleteTopology(amqp, "served", "the-default");
    }

    @Test
    void eachRequestMovesUnchangedToTheQueueOfItsLabelAndTheJobQueueEmpties() throws Exception {
        List<JobRequest> served = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            JobRequest job = aJob().runsOn("served").build();
            client.publish(job);
            served.add(job);
        }
        JobRequest noLabel = aJob().build();
        client.publish(noLabel);

        awaitCount(amqp.labelQueue("served"), 5);
        awaitCount(amqp.labelQueue("the-default"), 1);
        assertThat(RabbitMq.messageCount(amqp.jobQueue())).isZero();
        try (Channel ch = connection.createChannel()) {
            for (JobRequest job : served) {
                GetResponse got = ch.basicGet(amqp.labelQueue("served"), true);
                assertThat(got.getProps().getMessageId()).isEqualTo(job.requestId().toString());
                assertThat(got.getProps().getDeliveryMode()).isEqualTo(2);
                assertThat(new String(got.getBody(), StandardCharsets.UTF_8))
                        .isEqualTo(new String(JobMessageCodec.encodeRequest(job), StandardCharsets.UTF_8));
            }
        }
        assertThat(router.routed()).isEqualTo(6);
        assertThat(client.results()).as("routing publishes no result").isEmpty();
    }

    @Test
    void aLabelNoQueueIsBoundForIsDeadLetteredWithAFailedResultSayingSo() throws Exception {
        JobRequest job = aJob().runsOn("nobody-serves-this").build();
        client.publish(job);

        JobResult result = client.awaitResult(job.requestId(), Duration.ofSeconds(10)).orElseThrow();
        assertThat(result.success()).isFalse();
        assertThat(result.summary()).isEqualTo("job rejected: no orchestrator serves runs_on label"
                + " 'nobody-serves-this' (no queue is bound to it on exchange '" + amqp.labelExchange() + "')");
        awaitCount(amqp.deadLetterQueue(), 1);
        assertThat(RabbitMq.messageCount(amqp.jobQueue())).isZero();
        assertThat(router.routed()).isZero();
        assertThat(router.unroutable()).isEqualTo(1);
    }

    @Test
    void aMessageThatIsNotARequestIsDeadLetteredNotRouted() throws Exception {
        client.publishRaw("junk", "{\"schema_version\": \"jobrequest.v9\"}".getBytes(StandardCharsets.UTF_8));

        awaitCount(amqp.deadLetterQueue(), 1);
        assertThat(RabbitMq.messageCount(amqp.labelQueue("the-default"))).isZero();
    }

    private static void awaitCount(String queue, long expected) {
        await(expected + " messages in " + queue).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> RabbitMq.messageCount(queue) >= expected);
        assertThat(RabbitMq.messageCount(queue)).as("messages in " + queue).isEqualTo(expected);
    }
}
