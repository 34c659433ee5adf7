package org.solstice.orchestrator.hypervisor.zones;

/** The states {@code zoneadm list -p} reports, plus {@link #ABSENT} for a zone that is not configured at all. */
public enum ZoneState {
    ABSENT, CONFIGURED, INCOMPLETE, UNAVAILABLE, INSTALLED, READY, RUNNING, SHUTTING_DOWN, DOWN;

    public static ZoneState parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown zone state '" + text + "'", e);
        }
    }

    /** A virtual machine process exists (or is being torn down): the zone must be halted before uninstall. */
    public boolean isActive() {
        return this == READY || this == RUNNING || this == SHUTTING_DOWN || this == DOWN;
    }

    /** Installed on disk (uninstall needed before the configuration can be deleted). */
    public boolean isInstalled() {
        return this == INSTALLED || this == INCOMPLETE || this == UNAVAILABLE || isActive();
    }
}
