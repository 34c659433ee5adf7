package org.solstice.orchestrator.messaging;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Acts on a delivery once the {@link JobIntake} decided about its request: ack, dead-letter or hand back. */
final class IntakeSettlement {
    private static final Logger log = LoggerFactory.getLogger(IntakeSettlement.class);

    private final DeadLetters deadLetters;

    IntakeSettlement(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    /** @param error why the intake could not decide (the delivery goes back to its queue) */
    void settle(Channel channel, JobRequest request, long deliveryTag, JobIntake.Decision decision, Throwable error) {
        try {
            if (error != null) {
                log.error("job {}: could not be accepted: {}; handing it back to the broker", request.requestId(),
                        error.getMessage());
                channel.basicNack(deliveryTag, false, true);
            } else if (decision instanceof JobIntake.Accepted) {
                channel.basicAck(deliveryTag, false);
            } else if (decision instanceof JobIntake.Rejected rejected) {
                deadLetters.reject(channel, deliveryTag, request, rejected.reason());
            } else if (decision instanceof JobIntake.HandBack handBack) {
                log.info("job {}: handed back to the broker: {}", request.requestId(), handBack.reason());
                channel.basicNack(deliveryTag, false, true);
            }
        } catch (IOException | RuntimeException e) {
            // the channel is gone: the broker redelivers what was not acknowledged
            log.warn("job {}: cannot settle the delivery: {}", request.requestId(), e.getMessage());
        }
    }
}
