package org.solstice.orchestrator.job;

import org.solstice.orchestrator.messaging.JobResult;

/**
 * Delivers a job's one result: stores it (the outbox, state FINISHED) and then publishes it with confirms. A
 * result the broker does not confirm now stays stored and is published later, so no result is lost.
 */
public interface ResultDelivery {
    /**
     * Returns once the result is stored and either confirmed by the broker or left for later.
     *
     * @return true when the broker confirmed it; false when it stays in the outbox, to be published later
     * @throws InterruptedException when interrupted before the broker confirmed it (it stays in the outbox)
     */
    boolean deliver(AcceptedJob job, JobOutcome outcome, JobResult result) throws InterruptedException;
}
