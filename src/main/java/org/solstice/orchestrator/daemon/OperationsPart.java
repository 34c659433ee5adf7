package org.solstice.orchestrator.daemon;

import java.io.IOException;
import org.solstice.orchestrator.job.JobListener;
import org.solstice.orchestrator.job.JobPolicy;
import org.solstice.orchestrator.messaging.ConfirmingPublisher;
import org.solstice.orchestrator.ops.Operations;

/** Operations (HTTP endpoints, status events, log streaming), once the broker is there to publish events to. */
final class OperationsPart implements Part {
    private final DaemonConfig config;
    private final MetricsPart metrics;
    private final BrokerPart broker;
    private final JobPolicy policy;
    private volatile Operations operations;

    OperationsPart(DaemonConfig config, MetricsPart metrics, BrokerPart broker, JobPolicy policy) {
        this.config = config;
        this.metrics = metrics;
        this.broker = broker;
        this.policy = policy;
    }

    @Override
    public void start() throws IOException {
        operations = new Operations(config.ops(), metrics.metrics().state(), metrics.metrics(), policy,
                Operations.eventPublisher(new ConfirmingPublisher(broker.connection(), false),
                        config.amqp().resultExchange()));
    }

    @Override
    public void stop() {
        if (operations != null) {
            operations.close();
        }
    }

    JobListener jobListener() {
        return operations.jobListener();
    }

    /** The HTTP listener's port (useful with --http-port 0), or -1 when it is off or not started. */
    int httpPort() {
        Operations o = operations;
        return o == null ? -1 : o.httpPort();
    }
}
