package org.solstice.orchestrator.job;

/** How a job ended, for results and metrics. */
public enum JobOutcome {
    SUCCESS, FAILURE, TIMEOUT, PROVISIONING_ERROR, CANCELLED
}
