package org.solstice.orchestrator.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class AmqpSettingsTest {
    private final AmqpSettings settings = AmqpSettings.defaults(URI.create("amqp://ci:s3cret@broker:5672/%2f"), 2);

    @Test
    void printingTheSettingsHidesThePassword() {
        assertThat(settings.toString()).contains("amqp://ci:***@broker:5672/%2f").doesNotContain("s3cret");
    }

    @Test
    void labelQueuesAreNamedAfterTheJobQueueAndTestSuffixesReachTheLabelExchange() {
        assertThat(settings.labelQueue("ubuntu-22.04")).isEqualTo("solstice.jobs.v1.label.ubuntu-22.04");
        AmqpSettings suffixed = settings.withSuffix(".t1");
        assertThat(suffixed.labelExchange()).isEqualTo("solstice.jobs.labels.t1");
        assertThat(suffixed.labelQueue("x")).isEqualTo("solstice.jobs.v1.t1.label.x");
    }

    @Test
    void queueTypesParseAnyCaseAndAnythingElseIsNamed() {
        assertThat(AmqpSettings.QueueType.parse("Quorum")).isEqualTo(AmqpSettings.QueueType.QUORUM);
        assertThatThrownBy(() -> AmqpSettings.QueueType.parse("stream"))
                .hasMessage("queue type must be classic or quorum, was 'stream'");
        assertThatThrownBy(() -> settings.withQueueType(AmqpSettings.QueueType.QUORUM, 0))
                .hasMessageContaining("delivery limit must be at least 1");
    }
}
