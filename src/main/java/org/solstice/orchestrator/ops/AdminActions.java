package org.solstice.orchestrator.ops;

import java.util.UUID;

/**
 * What the web console's operator may do with the admin token. Each answers a sentence saying what happened, or
 * throws {@link IllegalArgumentException} (nothing to act on) or {@link UnsupportedOperationException} (this
 * daemon cannot do it).
 */
public interface AdminActions {

    /** Stops a job running on this host: its VM is shut down and its result says it was cancelled. */
    String cancel(UUID requestId);

    /** Takes no new jobs here; running ones finish. */
    String drain();

    /** Prepares an image again from its source. */
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
