package org.solstice.orchestrator.messaging;

import java.util.UUID;
import org.solstice.orchestrator.OrchestratorException;

/** Gives a request this host took but will not run back to the broker, for any host serving its label. */
public interface RequestHandBack {
    /**
     * Publishes the request, body unchanged, to the queue of its label (or, when the broker has no such queue, to
     * the job queue, to be routed again) and waits for the broker's confirm.
     *
     * @return the queue it went to
     * @throws OrchestratorException when the broker did not confirm it in time
     */
    String handBack(String label, UUID requestId, byte[] body) throws InterruptedException;
}
