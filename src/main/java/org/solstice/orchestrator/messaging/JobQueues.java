package org.solstice.orchestrator.messaging;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one daemon consumes: the router on WIRE.md's job queue, and one consumer per label it serves, each on the
 * queue of that label (declared and bound here). A host therefore only ever receives jobs it can run, and a
 * label's backlog is shared by every host that serves it.
 */
public class JobQueues {
    private static final Logger log = LoggerFactory.getLogger(JobQueues.class);

    private final Connection connection;
    private final AmqpSettings settings;
    private final JobRouter router;
    private final List<JobConsumer> consumers = new ArrayList<>();

    /**
     * @param prefetchByLabel every label this host serves, with the prefetch of its consumer
     */
    public JobQueues(Connection connection, AmqpSettings settings, String defaultLabel,
                     Map<String, Integer> prefetchByLabel, JobIntake intake, ResultSink results, Executor settling) {
        this.connection = connection;
        this.settings = settings;
        this.router = new JobRouter(connection, settings, defaultLabel, Math.max(settings.prefetch(), 32), results,
                settling, intake);
        prefetchByLabel.forEach((label, prefetch) -> consumers.add(
                new JobConsumer(connection, settings.labelQueue(label), label, prefetch, intake, results)));
    }

    /** Declares the topology and the label queues, then consumes the label queues and starts routing. */
    public void start() throws IOException {
        Channel ch = connection.createChannel();
        try {
            Topology.declare(ch, settings);
            for (JobConsumer consumer : consumers) {
                Topology.declareLabelQueue(ch, settings, consumer.label());
            }
        } finally {
            if (ch.isOpen()) {
                try {
                    ch.close();
                } catch (java.util.concurrent.TimeoutException e) {
                    log.debug("closing the declaring channel: {}", e.getMessage());
                }
            }
        }
        for (JobConsumer consumer : consumers) {
            consumer.start();
        }
        router.start();
        log.info("{} label queue(s) declared and consumed ({} type)", consumers.size(),
                settings.queueType().name().toLowerCase(java.util.Locale.ROOT));
    }

    /** Stops routing and consuming; deliveries on their way are settled by the intake. */
    public void stop() {
        router.stop();
        consumers.forEach(JobConsumer::stop);
    }

    /** Requests this daemon's router moved to a label queue. */
    public long routed() {
        return router.routed();
    }

    /** Requests this daemon's router took for this host directly, the label being idle here. */
    public long takenDirectly() {
        return router.takenDirectly();
    }

    /** Requests this daemon's router found no label queue for (dead-lettered with a failed result). */
    public long unroutable() {
        return router.unroutable();
    }

    public boolean isConsuming() {
        return router.isConsuming() && consumers.stream().allMatch(JobConsumer::isConsuming);
    }

    /** Closes every channel: what was not acknowledged returns to its queue. */
    public void close() {
        router.close();
        consumers.forEach(JobConsumer::close);
    }
}
