package org.solstice.orchestrator.hypervisor;

import java.time.Duration;
import java.util.List;

/**
 * One kind of virtual-machine backend (libvirt, illumos zones, noop).
 *
 * <p>The life of a job's VM, driven by {@code JobRunner}: {@link #provision} (disk, seed, definition),
 * {@link #start}, {@link #awaitPowerOff}, then always {@link #stop} or {@link #destroy} and
 * {@link #cleanup}. Implementations are thread-safe: many jobs run at once.
 *
 * <p>Failure contract: every method raises {@link HypervisorException} with a message an operator can act on
 * (which VM, which command or call, what it said). {@link #provision} that fails leaves nothing behind.
 * {@link #destroy} and {@link #cleanup} are idempotent: calling them on a VM that is already gone (or was
 * never fully created) succeeds. The guest's console output is written to {@link VmHandle#consoleLog()} as it
 * is produced, and stays there after {@link #cleanup} (the job's log is the runner's to retain).
 */
public interface Hypervisor extends AutoCloseable {

    /** Short name used in logs and results: {@code libvirt}, {@code zones}, {@code noop}. */
    String name();

    /** What this backend does (a router: what its backends do together). */
    BackendCapabilities capabilities();

    /**
     * What the backend that runs an image asking for {@code backend} (null: the default one) does. A single
     * backend runs every image it is given, so by default this is {@link #capabilities()}.
     */
    default BackendCapabilities capabilitiesFor(String backend) {
        return capabilities();
    }

    /** Connects and checks host prerequisites (network, datasets). Called once before any VM; may be re-called. */
    void prepare() throws HypervisorException;

    /** Whether the backend can currently be reached (for readiness). */
    default boolean isReachable() {
        return true;
    }

    /** Creates the VM's disk, seed and definition without starting it. Leaves nothing behind when it fails. */
    VmHandle provision(VmSpec spec) throws HypervisorException;

    /** Boots a provisioned VM. */
    void start(VmHandle vm) throws HypervisorException;

    /**
     * Blocks until the guest has powered off or {@code timeout} has passed.
     *
     * @return true when the guest powered off, false on timeout
     */
    boolean awaitPowerOff(VmHandle vm, Duration timeout) throws HypervisorException, InterruptedException;

    /**
     * Graceful shutdown: asks the guest to power off (ACPI power button, re-sent periodically) and waits up to
     * {@code timeout}. Does not destroy.
     *
     * @return true when the guest is off
     */
    boolean stop(VmHandle vm, Duration timeout) throws HypervisorException, InterruptedException;

    /** Hard power-off. Idempotent. */
    void destroy(VmHandle vm) throws HypervisorException;

    /** Removes the VM's definition and its disk and seed files. Idempotent; the console log is kept. */
    void cleanup(VmHandle vm) throws HypervisorException;

    /**
     * Names of the VMs this backend currently has that carry the given orchestrator instance's tag, running or
     * not (the leak reaper compares them with the job store).
     */
    List<String> listManagedVms(String instanceId) throws HypervisorException;

    /** Frees connections and native handles. */
    @Override
    void close();
}
