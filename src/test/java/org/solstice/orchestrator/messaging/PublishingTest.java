package org.solstice.orchestrator.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.solstice.orchestrator.OrchestratorException;
import org.solstice.orchestrator.testing.RabbitMq;

/** Publishing and declaring against the real broker: confirms, returns, clashing declarations. */
class PublishingTest {
    private final AmqpSettings settings = RabbitMq.uniqueSettings(1);

    @AfterEach
    void tearDown() {
        RabbitMq.deleteTopology(settings);
    }

    @Test
    void anUnroutableMessageIsReportedNotLostSilently() throws Exception {
        try (Connection c = RabbitMq.connect()) {
            try (Channel ch = c.createChannel()) {
                ch.exchangeDeclare(settings.resultExchange(), BuiltinExchangeType.TOPIC, true);
            }
            try (ConfirmingPublisher publisher = new ConfirmingPublisher(c)) {
                ConfirmingPublisher.Outcome outcome = publisher.publish(settings.resultExchange(), "nobody.listens",
                        "m-1", "test", "{}".getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);

                assertThat(outcome).isEqualTo(ConfirmingPublisher.Outcome.UNROUTABLE);
            }
        }
    }

    @Test
    void aNonMandatoryPublisherHasNothingReturnedForMessagesNobodyListensTo() throws Exception {
        try (Connection c = RabbitMq.connect()) {
            try (Channel ch = c.createChannel()) {
                ch.exchangeDeclare(settings.resultExchange(), BuiltinExchangeType.TOPIC, true);
            }
            try (ConfirmingPublisher publisher = new ConfirmingPublisher(c, false)) {
                // a mandatory publish of the same message comes back returned (the test above)
                ConfirmingPublisher.Outcome outcome = publisher.publish(settings.resultExchange(), "nobody.listens",
                        "m-3", "test", "{}".getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
                assertThat(outcome).isEqualTo(ConfirmingPublisher.Outcome.ROUTED);
            }
        }
    }

    @Test
    void aRoutedMessageIsConfirmedAndArrivesPersistentWithItsId() throws Exception {
        try (Connection c = RabbitMq.connect(); Channel ch = c.createChannel()) {
            Topology.declare(ch, settings);
            try (ConfirmingPublisher publisher = new ConfirmingPublisher(c)) {
                ConfirmingPublisher.Outcome outcome = publisher.publish(settings.jobExchange(), settings.jobRoutingKey(),
                        "m-2", "jobrequest.v1", "{}".getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
                assertThat(outcome).isEqualTo(ConfirmingPublisher.Outcome.ROUTED);
            }
            var message = ch.basicGet(settings.jobQueue(), true);
            assertThat(message).isNotNull();
            assertThat(message.getProps().getDeliveryMode()).isEqualTo(2);
            assertThat(message.getProps().getMessageId()).isEqualTo("m-2");
            assertThat(message.getProps().getContentType()).isEqualTo("application/json");
        }
    }

    @Test
    void aClashingDeclarationIsReportedWithTheQueueAndTheBrokersWords() throws Exception {
        try (Connection c = RabbitMq.connect()) {
            try (Channel ch = c.createChannel()) {
                ch.queueDeclare(settings.jobQueue(), true, false, false, Map.of("x-max-length", 10));
            }
            Channel ch = c.createChannel(); // the broker closes it on the clash
            assertThatThrownBy(() -> Topology.declare(ch, settings))
                    .isInstanceOf(OrchestratorException.class)
                    .hasMessageContaining("queue '" + settings.jobQueue() + "'")
                    .hasMessageContaining("PRECONDITION_FAILED");
            assertThat(ch.isOpen()).isFalse();
        }
    }
}
