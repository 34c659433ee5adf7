package org.solstice.orchestrator.store;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Durable record of every job this orchestrator accepted, its VM, and its result (an outbox). A message is
 * acknowledged only after {@link #accept} committed it, so from then on a crash loses nothing: the restarted
 * daemon reconciles the store with the hypervisor.
 *
 * <p>Failure contract: every method raises {@link StoreException}; {@link StoreException#isUnavailable()} is
 * true when the database could not be reached, and the call changed nothing.
 */
public interface JobStore extends AutoCloseable {

    /**
     * Stores a newly accepted job in state {@link JobState#ACCEPTED}.
     *
     * @return false, changing nothing, when a job with this request_id is already stored (a duplicate delivery)
     */
    boolean accept(JobRecord job);

    /**
     * {@link #accept} without waiting: the future completes once the job is committed (true), found to be a
     * duplicate (false), or failed with a {@link StoreException}.
     */
    default java.util.concurrent.CompletableFuture<Boolean> acceptAsync(JobRecord job) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> accept(job));
    }

    /** Records the VM about to be created for the job's next attempt: attempts + 1, state PROVISIONING. */
    void provisioning(UUID requestId, VmRecord vm);

    /** The job's VM was started. */
    void running(UUID requestId);

    /**
     * Retry: the job is run again here (its VM is gone), so it is back to ACCEPTED; the attempt count stays. Not to
     * be confused with handing a job back to the broker for any host ({@link #forget} then).
     */
    void retry(UUID requestId);

    /** Removes a job that was handed back to the broker before it started (another host will run it). */
    void forget(UUID requestId);

    /** The job ended: state FINISHED with its result, not yet published. */
    void finish(UUID requestId, String outcome, String resultJson);

    /** The broker confirmed the job's result. */
    void resultPublished(UUID requestId);

    /** The VM is gone (destroyed and cleaned up). */
    void vmGone(String vmName);

    Optional<JobRecord> find(UUID requestId);

    /** Jobs of this instance not yet FINISHED, oldest first. */
    List<JobRecord> unfinished(String instanceId);

    /** Finished jobs of this instance whose result the broker has not confirmed yet, oldest first. */
    List<JobRecord> unpublished(String instanceId);

    /** The VMs this instance recorded and has not seen gone. */
    List<VmRecord> vms(String instanceId);

    /** The most recently accepted jobs (all instances), newest first. */
    List<JobRecord> recent(int limit);

    /** Whether the database answers now. */
    boolean isReachable();

    /** A short description for logs: the driver and where (no password). */
    String describe();

    @Override
    void close();
}
