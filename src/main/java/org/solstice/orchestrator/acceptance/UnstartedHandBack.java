package org.solstice.orchestrator.acceptance;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.OrchestratorException;
import org.solstice.orchestrator.job.AcceptedJob;
import org.solstice.orchestrator.messaging.RequestHandBack;
import org.solstice.orchestrator.store.JobStore;

/**
 * On shutdown, gives accepted jobs that have not started back to the broker and forgets them here, so another
 * host or a later start runs them. A job that can't be handed back stays in the store and runs when this
 * orchestrator starts again.
 */
final class UnstartedHandBack {
    private static final Logger log = LoggerFactory.getLogger(UnstartedHandBack.class);

    private final RequestHandBack broker;
    private final JobStore store;

    UnstartedHandBack(RequestHandBack broker, JobStore store) {
        this.broker = broker;
        this.store = store;
    }

    void handBack(List<AcceptedJob> jobs) throws InterruptedException {
        for (AcceptedJob job : jobs) {
            try {
                String queue = broker.handBack(job.label(), job.id(), job.body());
                store.forget(job.id());
                log.info("job {}: not started yet; handed back to queue '{}'", job.id(), queue);
            } catch (OrchestratorException e) {
                log.error("job {}: could not be handed back to the broker ({}); it stays in the job store and runs"
                        + " when this orchestrator starts again", job.id(), e.getMessage());
            }
        }
    }
}
