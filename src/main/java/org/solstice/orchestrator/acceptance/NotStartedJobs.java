package org.solstice.orchestrator.acceptance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.solstice.orchestrator.job.AcceptedJob;

/**
 * Accepted jobs that have not started yet (waiting for their image or a scheduler slot). Whoever removes a job
 * first owns it: the starter runs it, or shutdown hands it back to the broker; never both.
 */
final class NotStartedJobs {
    private final Map<UUID, AcceptedJob> jobs = new ConcurrentHashMap<>();

    void add(AcceptedJob job) {
        jobs.put(job.id(), job);
    }

    /** @return true when the caller now owns the job (nobody took it before) */
    boolean take(AcceptedJob job) {
        return jobs.remove(job.id()) != null;
    }

    /** Takes every job not started, oldest first by acceptance. */
    List<AcceptedJob> takeAll() {
        List<AcceptedJob> taken = new ArrayList<>();
        for (UUID id : List.copyOf(jobs.keySet())) {
            AcceptedJob job = jobs.remove(id);
            if (job != null) {
                taken.add(job);
            }
        }
        taken.sort(Comparator.comparingLong(AcceptedJob::acceptedAtNanos));
        return taken;
    }

    int size() {
        return jobs.size();
    }
}
