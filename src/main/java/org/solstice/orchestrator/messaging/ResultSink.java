package org.solstice.orchestrator.messaging;

/** Where finished jobs' results go. Implementations deliver each result once it is handed over. */
public interface ResultSink {
    /**
     * Delivers a result; blocks until the broker confirmed it, retrying while it can't be delivered.
     *
     * @throws InterruptedException when interrupted before delivery
     */
    void publish(JobResult result) throws InterruptedException;
}
