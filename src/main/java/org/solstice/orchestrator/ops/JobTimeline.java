package org.solstice.orchestrator.ops;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.solstice.orchestrator.job.AcceptedJob;
import org.solstice.orchestrator.job.JobListener;

/**
 * When this daemon's recent jobs began provisioning (the job store keeps acceptance, start and end, not this),
 * for the web console's timelines. Holds the last {@value #KEPT} jobs.
 */
final class JobTimeline implements JobListener {
    static final int KEPT = 2000;

    private final Map<UUID, Instant> provisioning = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Instant> eldest) {
            return size() > KEPT;
        }
    };

    @Override
    public synchronized void provisioning(AcceptedJob job, Path consoleLog) {
        provisioning.put(job.id(), Instant.now());
    }

    synchronized Optional<Instant> provisioningAt(UUID id) {
        return Optional.ofNullable(provisioning.get(id));
    }
}
