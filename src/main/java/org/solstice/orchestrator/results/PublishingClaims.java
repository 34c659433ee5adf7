package org.solstice.orchestrator.results;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The results being published right now by this process (by their job, or by the relay): one claim per result,
 * so no result is published from two places at once.
 */
final class PublishingClaims {
    private final Set<UUID> claimed = ConcurrentHashMap.newKeySet();

    /** @return true when the caller now holds the claim and must {@link #release} it */
    boolean claim(UUID requestId) {
        return claimed.add(requestId);
    }

    void release(UUID requestId) {
        claimed.remove(requestId);
    }
}
