package org.solstice.orchestrator.ops;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.solstice.orchestrator.config.ImageDefinition;
import org.solstice.orchestrator.store.JobRecord;

/** What operations read from the running daemon: readiness, capacity and recent jobs. Cheap to call. */
public interface DaemonState {

    /** The broker connection is open (not lost or recovering). */
    boolean brokerConnected();

    /** The job consumer is registered and its channel open. */
    boolean consuming();

    boolean hypervisorReachable();

    /** May take as long as the database's connection timeout. */
    boolean storeReachable();

    /** Global capacity: jobs provisioning or running, the limit, accepted jobs not started yet. */
    Capacity global();

    /** Per image (the unit capacities apply to), in image-map order. */
    List<LabelCapacity> labels();

    List<JobRecord> recentJobs(int limit);

    /** One job of the job store (any instance sharing it), for the web console's job page. */
    default Optional<JobRecord> job(UUID requestId) {
        return Optional.empty();
    }

    /** The image map's images, in its order. */
    default List<ImageDefinition> images() {
        return List.of();
    }

    /** The backends this host runs, its default first (as {@code --hypervisor} names them). */
    default List<String> backends() {
        return List.of();
    }

    /**
     * Whether this host takes jobs: {@code active}; {@code draining} (its drain is under way, at shutdown or asked
     * from the web console); {@code drained} (it takes no new jobs until it is restarted).
     */
    default String hostState() {
        return "active";
    }

    /** What the web console's admin may do here (with the admin token). */
    default AdminActions actions() {
        return AdminActions.NONE;
    }

    long leakedVmsReaped();

    long brokerReconnects();

    /** Requests this daemon's router moved from the job queue to a label queue. */
    long jobsRouted();

    /** Requests this daemon's router took for this host directly, their label being idle here. */
    long jobsTakenDirectly();

    /** Requests for a label no daemon serves, dead-lettered by this daemon's router with a failed result. */
    long jobsUnroutable();

    record Capacity(int inUse, int limit, int waiting) {
    }

    /**
     * @param image   the image name (a label; its aliases share its capacity)
     * @param aliases the labels resolving to it
     * @param limit   its capacity-map entry, else the global limit
     * @param waiting jobs whose image is ready, waiting for a slot
     */
    record LabelCapacity(String image, List<String> aliases, int inUse, int limit, int waiting) {
    }
}
