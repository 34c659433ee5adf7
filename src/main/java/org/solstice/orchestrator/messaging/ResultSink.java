package org.solstice.orchestrator.messaging;

/**
 * Publishes results to the broker (the result exchange), implemented by {@link ResultPublisher}. The job side does
 * not publish through this directly: a job's result is delivered through {@code job.ResultDelivery} (stored, then
 * published through this); a request rejected at intake gets its failed result through this alone.
 */
public interface ResultSink {
    /**
     * Delivers a result; blocks until the broker confirmed it, retrying while it can't be delivered.
     *
     * @throws InterruptedException when interrupted before delivery
     */
    void publish(JobResult result) throws InterruptedException;

    /**
     * Tries to deliver a result for a bounded time.
     *
     * @return true when the broker confirmed it; false when it could not be delivered now (the caller keeps it,
     *         e.g. in the job store's outbox, and tries again later)
     */
    default boolean tryPublish(JobResult result) throws InterruptedException {
        publish(result);
        return true;
    }
}
