package org.solstice.orchestrator.testing;

import java.net.URI;
import org.testcontainers.containers.RabbitMQContainer;

/** Fallback broker for machines with Docker but no local RabbitMQ. */
final class Containers {
    private static RabbitMQContainer rabbit;

    private Containers() {
    }

    static synchronized URI startRabbitMq() {
        if (rabbit == null) {
            rabbit = new RabbitMQContainer("rabbitmq:3.13-alpine");
            rabbit.start();
        }
        return URI.create("amqp://guest:guest@" + rabbit.getHost() + ":" + rabbit.getAmqpPort() + "/%2f");
    }
}
