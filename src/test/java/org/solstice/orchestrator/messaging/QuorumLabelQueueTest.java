package org.solstice.orchestrator.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.solstice.orchestrator.testing.JobRequests.aJob;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.OrchestratorException;
import org.solstice.orchestrator.testing.NoopDaemonHarness;
import org.solstice.orchestrator.testing.RabbitMq;

/** Per-label quorum queues: the daemon runs jobs from them, and a message that keeps crashing consumers ends in the DLQ. */
class QuorumLabelQueueTest {
    @TempDir
    Path dir;

    private final AmqpSettings amqp = RabbitMq.uniqueSettings(1).withQueueType(AmqpSettings.QueueType.QUORUM, 3);
    private NoopDaemonHarness harness;

    @AfterEach
    void tearDown() {
        if (harness != null) {
            harness.close();
        }
        RabbitMq.deleteTopology(amqp, "poison");
    }

    @Test
    void aMessageWhoseConsumersKeepDyingIsDeadLetteredAfterTheDeliveryLimit() throws Exception {
        try (Connection connection = RabbitMq.connect()) {
            try (Channel ch = connection.createChannel()) {
                Topology.declare(ch, amqp);
                Topology.declareLabelQueue(ch, amqp, "poison");
            }
            try (ConfirmingPublisher publisher = new ConfirmingPublisher(connection)) {
                JobRequest job = aJob().runsOn("poison").build();
                assertThat(publisher.publish(amqp.labelExchange(), "poison", job.requestId().toString(),
                        JobRequest.SCHEMA_VERSION, JobMessageCodec.encodeRequest(job)).get())
                        .isEqualTo(ConfirmingPublisher.Outcome.ROUTED);
            }
            int deliveries = 0;
            for (int attempt = 0; attempt < 10; attempt++) {
                // a consumer takes the message and dies before acknowledging it: its channel goes away
                Channel ch = connection.createChannel();
                GetResponse got = ch.basicGet(amqp.labelQueue("poison"), false);
                ch.abort();
                if (got == null) {
                    break;
                }
                deliveries++;
            }
            assertThat(deliveries).as("delivered up to the limit, then no more").isBetween(3, 4);
            assertThat(RabbitMq.messageCount(amqp.labelQueue("poison"))).isZero();
            assertThat(RabbitMq.messageCount(amqp.deadLetterQueue())).as("dead-lettered, not lost").isEqualTo(1);
        }
    }

    @Test
    void theDaemonRunsJobsFromQuorumQueuesAndAClassicRedeclarationIsRefusedClearly() throws Exception {
        harness = new NoopDaemonHarness(dir).queueType(AmqpSettings.QueueType.QUORUM, 3);
        harness.start();
        JobRequest job = aJob().runsOn("illumos").build();
        harness.client().publish(job);

        assertThat(harness.client().awaitResult(job.requestId(), Duration.ofSeconds(30))).isPresent()
                .hasValueSatisfying(r -> assertThat(r.success()).isTrue());

        AmqpSettings classic = harness.amqp().withQueueType(AmqpSettings.QueueType.CLASSIC, 3);
        try (Connection connection = RabbitMq.connect()) {
            Channel ch = connection.createChannel(); // the broker closes it on the clash
            assertThatThrownBy(() -> Topology.declareLabelQueue(ch, classic, "illumos"))
                    .isInstanceOf(OrchestratorException.class)
                    .hasMessageContaining("queue '" + classic.labelQueue("illumos") + "'")
                    .hasMessageContaining("PRECONDITION_FAILED");
        }
    }
}
