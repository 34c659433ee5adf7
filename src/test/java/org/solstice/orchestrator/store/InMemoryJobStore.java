package org.solstice.orchestrator.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * A {@link JobStore} in memory for unit tests, obeying the same contract as the JDBC driver
 * ({@link InMemoryJobStoreTest} runs {@link JobStoreContractTest} on it). {@link #away(boolean)} makes every call
 * fail as an unreachable database does: {@link StoreException#isUnavailable()}, nothing changed.
 */
public final class InMemoryJobStore implements JobStore {
    private final Map<UUID, JobRecord> jobs = new LinkedHashMap<>();
    private final Map<String, VmRecord> vms = new LinkedHashMap<>();
    private volatile boolean away;

    /** While away, every call fails as unreachable and changes nothing. */
    public void away(boolean away) {
        this.away = away;
    }

    @Override
    public synchronized boolean accept(JobRecord job) {
        reachable();
        if (jobs.containsKey(job.requestId())) {
            return false;
        }
        jobs.put(job.requestId(), job);
        return true;
    }

    @Override
    public synchronized void provisioning(UUID requestId, VmRecord vm) {
        update(requestId, j -> with(j, JobState.PROVISIONING, j.attempts() + 1, j.startedAt(), j.finishedAt(),
                j.outcome(), j.resultJson(), j.resultPublished()));
        vms.values().removeIf(v -> v.requestId().equals(requestId));
        vms.put(vm.name(), vm);
    }

    @Override
    public synchronized void running(UUID requestId) {
        update(requestId, j -> with(j, JobState.RUNNING, j.attempts(), Instant.now(), j.finishedAt(), j.outcome(),
                j.resultJson(), j.resultPublished()));
    }

    @Override
    public synchronized void retry(UUID requestId) {
        update(requestId, j -> with(j, JobState.ACCEPTED, j.attempts(), j.startedAt(), j.finishedAt(), j.outcome(),
                j.resultJson(), j.resultPublished()));
    }

    @Override
    public synchronized void forget(UUID requestId) {
        reachable();
        jobs.remove(requestId);
        vms.values().removeIf(v -> v.requestId().equals(requestId));
    }

    @Override
    public synchronized void finish(UUID requestId, String outcome, String resultJson) {
        update(requestId, j -> with(j, JobState.FINISHED, j.attempts(), j.startedAt(), Instant.now(), outcome,
                resultJson, false));
    }

    @Override
    public synchronized void resultPublished(UUID requestId) {
        update(requestId, j -> with(j, j.state(), j.attempts(), j.startedAt(), j.finishedAt(), j.outcome(),
                j.resultJson(), true));
    }

    @Override
    public synchronized void vmGone(String vmName) {
        reachable();
        vms.remove(vmName);
    }

    @Override
    public synchronized Optional<JobRecord> find(UUID requestId) {
        reachable();
        return Optional.ofNullable(jobs.get(requestId));
    }

    @Override
    public synchronized List<JobRecord> unfinished(String instanceId) {
        reachable();
        return jobs.values().stream().filter(j -> j.instanceId().equals(instanceId))
                .filter(j -> j.state() != JobState.FINISHED).sorted(Comparator.comparing(JobRecord::acceptedAt))
                .toList();
    }

    @Override
    public synchronized List<JobRecord> unpublished(String instanceId) {
        reachable();
        return jobs.values().stream().filter(j -> j.instanceId().equals(instanceId))
                .filter(j -> j.state() == JobState.FINISHED && !j.resultPublished())
                .sorted(Comparator.comparing(JobRecord::acceptedAt)).toList();
    }

    @Override
    public synchronized List<VmRecord> vms(String instanceId) {
        reachable();
        return vms.values().stream().filter(v -> v.instanceId().equals(instanceId)).toList();
    }

    @Override
    public synchronized List<JobRecord> recent(int limit) {
        reachable();
        List<JobRecord> all = new ArrayList<>(jobs.values());
        java.util.Collections.reverse(all); // insertion order breaks ties between equal times: newest first
        return all.stream().sorted(Comparator.comparing(JobRecord::acceptedAt).reversed()).limit(limit).toList();
    }

    @Override
    public boolean isReachable() {
        return !away;
    }

    @Override
    public String describe() {
        return "in memory";
    }

    @Override
    public void close() {
    }

    private void reachable() {
        if (away) {
            throw new StoreException("the job store is away (in-memory fake)", null, true);
        }
    }

    private void update(UUID requestId, UnaryOperator<JobRecord> change) {
        reachable();
        JobRecord job = jobs.get(requestId);
        if (job == null) {
            throw new StoreException("job " + requestId + " is not stored", null, false);
        }
        jobs.put(requestId, change.apply(job));
    }

    private static JobRecord with(JobRecord j, JobState state, int attempts, Instant startedAt, Instant finishedAt,
                                  String outcome, String resultJson, boolean published) {
        return new JobRecord(j.requestId(), j.instanceId(), j.label(), j.image(), j.requestJson(), state, attempts,
                j.acceptedAt(), startedAt, finishedAt, outcome, resultJson, published);
    }
}
