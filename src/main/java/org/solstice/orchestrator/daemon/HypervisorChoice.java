package org.solstice.orchestrator.daemon;

import java.util.Locale;

/** Which backend runs jobs: {@code auto} picks libvirt on Linux when it answers, zones on illumos, else noop. */
public enum HypervisorChoice {
    AUTO, LIBVIRT, ZONES, NOOP;

    public static HypervisorChoice parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("hypervisor must be auto, libvirt, zones or noop, was '" + value + "'");
        }
    }
}
