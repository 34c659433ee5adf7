package org.solstice.orchestrator.messaging;

/** Takes valid job requests off the consumer. */
public interface JobIntake {

    /** What the consumer does with the message after {@link #offer}. */
    sealed interface Decision permits Accepted, Rejected, HandBack {
    }

    /** Acknowledge: the daemon now answers for the job. */
    record Accepted() implements Decision {
    }

    /** Dead-letter it, with a failed result carrying {@code reason}. */
    record Rejected(String reason) implements Decision {
    }

    /** Give it back to the broker (shutting down): another host or a later start takes it. */
    record HandBack(String reason) implements Decision {
    }

    /**
     * Offers a valid request that arrived on the queue of {@code label} (its runs_on, or the routing host's
     * default label when it had none). May block while the daemon's backlog is full (the delivery stays unacknowledged,
     * so the broker keeps the rest). The decision may come later, on another thread (once the job is stored):
     * the consumer acts on the delivery then.
     */
    java.util.concurrent.CompletionStage<Decision> offer(JobRequest request, byte[] body, String label)
            throws InterruptedException;

    /**
     * Takes a request straight from the router, without the hop through its label's queue, when this host serves
     * {@code label} and would start the job at once: its image is ready, a slot is free under the global limit and
     * the label's capacity, and nothing of the label waits here (what waits in the label's queue goes first).
     * Never blocks.
     *
     * @return the decision as for {@link #offer}, or empty when the request should go to its label's queue
     */
    default java.util.Optional<java.util.concurrent.CompletionStage<Decision>> takeIfIdle(JobRequest request,
                                                                                        byte[] body, String label) {
        return java.util.Optional.empty();
    }
}
