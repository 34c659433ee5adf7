package org.solstice.orchestrator.store;

import org.solstice.orchestrator.OrchestratorException;

/**
 * The job store failed. {@link #isUnavailable()} tells a database that can't be reached (worth retrying) from a
 * statement that is wrong (not worth it).
 */
public class StoreException extends OrchestratorException {
    private final boolean unavailable;

    public StoreException(String message, Throwable cause, boolean unavailable) {
        super(message, cause);
        this.unavailable = unavailable;
    }

    public boolean isUnavailable() {
        return unavailable;
    }
}
