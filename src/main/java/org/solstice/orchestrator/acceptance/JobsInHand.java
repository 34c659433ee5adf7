package org.solstice.orchestrator.acceptance;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The request ids this daemon is handling now (accepted, recovered or adopted, and not ended): a delivery of one
 * of them is a duplicate, acknowledged and not run twice.
 */
final class JobsInHand {
    private final Set<UUID> ids = ConcurrentHashMap.newKeySet();

    void add(UUID id) {
        ids.add(id);
    }

    void remove(UUID id) {
        ids.remove(id);
    }

    boolean contains(UUID id) {
        return ids.contains(id);
    }
}
