package org.solstice.orchestrator.ops;

import java.util.UUID;

/**
 * What the web console's operator may do with the admin token. Each answers a sentence saying what happened, or
 * throws {@link IllegalArgumentException} (nothing to act on: 400), {@link IllegalStateException} (not now, e.g.
 * the image is being prepared already: 409) or {@link UnsupportedOperationException} (this daemon cannot do it:
 * 501).
 */
public interface AdminActions {

    /** Stops a job running on this host: its VM is shut down and its result says it was cancelled. */
    String cancel(UUID requestId);

    /**
     * Drains this host as SIGTERM does, without exiting: stops consuming, hands jobs not started back to the
     * broker, lets running ones finish (up to the drain timeout); the daemon then stays up, drained. Again: a no-op.
     */
    String drain();

    /** Fetches and verifies an image again from its source, though it is ready; its jobs wait for it. */
    String prepareAgain(String image);

    /** A daemon without actions. */
    AdminActions NONE = new AdminActions() {
        @Override
        public String cancel(UUID requestId) {
            throw new UnsupportedOperationException("cancelling is not available on this daemon");
        }

        @Override
        public String drain() {
            throw new UnsupportedOperationException("draining is not available on this daemon");
        }

        @Override
        public String prepareAgain(String image) {
            throw new UnsupportedOperationException("preparing an image again is not available on this daemon");
        }
    };
}
