package org.solstice.orchestrator.hypervisor;

import org.solstice.orchestrator.OrchestratorException;

/** A backend operation failed; the message says which VM and what the backend answered. */
public class HypervisorException extends OrchestratorException {
    public HypervisorException(String message) {
        super(message);
    }

    public HypervisorException(String message, Throwable cause) {
        super(message, cause);
    }
}
