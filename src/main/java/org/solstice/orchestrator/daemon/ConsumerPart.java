package org.solstice.orchestrator.daemon;

import java.io.IOException;
import org.solstice.orchestrator.messaging.JobQueues;

/** The router and the label queues' consumers: started last, once everything they hand requests to runs. */
final class ConsumerPart implements Part {
    private final DaemonConfig config;
    private final ImageMapPart map;
    private final BrokerPart broker;
    private final JobsPart jobs;
    private final JobSide side;

    ConsumerPart(DaemonConfig config, ImageMapPart map, BrokerPart broker, JobsPart jobs, JobSide side) {
        this.config = config;
        this.map = map;
        this.broker = broker;
        this.jobs = jobs;
        this.side = side;
    }

    @Override
    public void start() throws IOException {
        JobSide.Wired wired = side.wired().orElseThrow();
        JobQueues queues = new JobQueues(broker.connection(), config.amqp(), map.images().defaultLabel(),
                map.prefetchByLabel(), wired.acceptance().intake(), wired.resultPublisher(), jobs.background());
        side.consuming(queues);
        queues.start();
    }

    @Override
    public void stop() {
        side.queues().ifPresent(JobQueues::close);
    }
}
