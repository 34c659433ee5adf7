package org.solstice.orchestrator.hypervisor;

/**
 * What a backend does, so the rest of the daemon asks instead of checking which backend it is.
 *
 * @param bootsGuests      starts a real virtual machine for each job (false: the job's result says none was started)
 * @param runsGuestScripts the guest runs the job's user-data (false: every "guest" reports exit status 0)
 * @param usesImages       boots the image of the job's label, so images must be prepared before its jobs start
 */
public record BackendCapabilities(boolean bootsGuests, boolean runsGuestScripts, boolean usesImages) {

    /** A backend that boots each job's image and runs the job's script in it (libvirt, zones). */
    public static final BackendCapabilities VIRTUAL_MACHINES = new BackendCapabilities(true, true, true);

    /** A backend that starts nothing (noop). */
    public static final BackendCapabilities NOTHING = new BackendCapabilities(false, false, false);

    /** What backends serving one host do together: a capability any of them has. */
    public BackendCapabilities or(BackendCapabilities other) {
        return new BackendCapabilities(bootsGuests || other.bootsGuests, runsGuestScripts || other.runsGuestScripts,
                usesImages || other.usesImages);
    }
}
