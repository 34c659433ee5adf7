package org.solstice.orchestrator;

/** Root of the project's unchecked exceptions: anything the daemon raises on purpose is one of these. */
public class OrchestratorException extends RuntimeException {
    public OrchestratorException(String message) {
        super(message);
    }

    public OrchestratorException(String message, Throwable cause) {
        super(message, cause);
    }
}
