package org.solstice.orchestrator.store;

/** Where an accepted job is in its life. */
public enum JobState {
    /** Stored and acknowledged; waiting for its image or a scheduler slot. */
    ACCEPTED,
    /** Its VM is being created (the VM row is written first). */
    PROVISIONING,
    /** Its VM was started. */
    RUNNING,
    /** A result exists (published or waiting in the outbox). */
    FINISHED
}
