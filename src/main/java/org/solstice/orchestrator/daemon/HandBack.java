package org.solstice.orchestrator.daemon;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.job.AcceptedJob;
import org.solstice.orchestrator.messaging.AmqpSettings;
import org.solstice.orchestrator.messaging.ConfirmingPublisher;
import org.solstice.orchestrator.store.JobStore;

/**
 * On shutdown, gives accepted jobs that have not started back to the broker (republished with confirms to the
 * queue of their label, else to the job queue) and forgets them here, so another host or a later start runs them.
 * A job that can't be handed back stays in the store and runs when this orchestrator starts again.
 */
final class HandBack {
    private static final Logger log = LoggerFactory.getLogger(HandBack.class);

    private final ConfirmingPublisher publisher;
    private final AmqpSettings amqp;
    private final JobStore store;

    HandBack(ConfirmingPublisher publisher, AmqpSettings amqp, JobStore store) {
        this.publisher = publisher;
        this.amqp = amqp;
        this.store = store;
    }

    void handBack(List<AcceptedJob> jobs) throws InterruptedException {
        for (AcceptedJob job : jobs) {
            try {
                // back to the queue of its label, so whichever host serves the label takes it next
                var outcome = publisher.publish(amqp.labelExchange(), job.label(), job.id().toString(),
                        "jobrequest.v1", job.body()).get(30, TimeUnit.SECONDS);
                String queue = amqp.labelQueue(job.label());
                if (outcome == ConfirmingPublisher.Outcome.UNROUTABLE) {
                    publisher.publish(amqp.jobExchange(), amqp.jobRoutingKey(), job.id().toString(),
                            "jobrequest.v1", job.body()).get(30, TimeUnit.SECONDS);
                    queue = amqp.jobQueue();
                }
                store.forget(job.id());
                log.info("job {}: not started yet; handed back to queue '{}'", job.id(), queue);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                     | org.solstice.orchestrator.OrchestratorException e) {
                log.error("job {}: could not be handed back to the broker ({}); it stays in the job store and runs"
                        + " when this orchestrator starts again", job.id(), e.getMessage());
            }
        }
    }
}
