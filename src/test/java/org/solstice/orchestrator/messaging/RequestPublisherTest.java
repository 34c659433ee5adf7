package org.solstice.orchestrator.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.solstice.orchestrator.testing.JobRequests.aJob;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.solstice.orchestrator.testing.RabbitMq;

/** Handing requests back against the real broker: they land where Topology says, bodies unchanged. */
class RequestPublisherTest {
    private final AmqpSettings settings = RabbitMq.uniqueSettings(1);

    @AfterEach
    void tearDown() {
        RabbitMq.deleteTopology(settings, "handback-label");
    }

    @Test
    void aHandedBackRequestLandsOnItsLabelQueueWithItsBodyUnchanged() throws Exception {
        JobRequest request = aJob().runsOn("handback-label").build();
        byte[] body = JobMessageCodec.encodeRequest(request);
        try (Connection c = RabbitMq.connect(); Channel ch = c.createChannel();
             ConfirmingPublisher confirming = new ConfirmingPublisher(c)) {
            Topology.declare(ch, settings);
            String labelQueue = Topology.declareLabelQueue(ch, settings, "handback-label");

            String queue = new RequestPublisher(confirming, settings, Duration.ofSeconds(10))
                    .handBack("handback-label", request.requestId(), body);

            assertThat(queue).isEqualTo(labelQueue);
            GetResponse message = take(ch, labelQueue);
            assertThat(message.getBody()).as("the body, byte for byte").isEqualTo(body);
            assertThat(message.getProps().getMessageId()).isEqualTo(request.requestId().toString());
            assertThat(message.getProps().getType()).isEqualTo(JobRequest.SCHEMA_VERSION);
            assertThat(ch.basicGet(settings.jobQueue(), true)).as("nothing on the job queue").isNull();
        }
    }

    @Test
    void aRequestWhoseLabelHasNoQueueGoesBackToTheJobQueue() throws Exception {
        JobRequest request = aJob().runsOn("handback-label").build();
        byte[] body = JobMessageCodec.encodeRequest(request);
        try (Connection c = RabbitMq.connect(); Channel ch = c.createChannel();
             ConfirmingPublisher confirming = new ConfirmingPublisher(c)) {
            Topology.declare(ch, settings);

            String queue = new RequestPublisher(confirming, settings, Duration.ofSeconds(10))
                    .handBack("handback-label", request.requestId(), body);

            assertThat(queue).isEqualTo(settings.jobQueue());
            assertThat(take(ch, settings.jobQueue()).getBody()).isEqualTo(body);
        }
    }

    private static GetResponse take(Channel ch, String queue) {
        AtomicReference<GetResponse> got = new AtomicReference<>();
        await("a message on " + queue).atMost(Duration.ofSeconds(10))
                .until(() -> got.updateAndGet(g -> g != null ? g : basicGet(ch, queue)) != null);
        return got.get();
    }

    private static GetResponse basicGet(Channel ch, String queue) {
        try {
            return ch.basicGet(queue, true);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
