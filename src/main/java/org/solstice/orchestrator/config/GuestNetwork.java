package org.solstice.orchestrator.config;

/**
 * An image's guest network, as the NoCloud seed gives it to cloud-init.
 *
 * @param mode          how the image map chose it
 * @param networkConfig the seed's {@code network-config} file (version 2), or null for none: cloud-init then
 *                      falls back to DHCP on the first interface (what {@link Mode#DHCP} means)
 * @param source        the operator's file for {@link Mode#FILE}, else null
 */
public record GuestNetwork(Mode mode, String networkConfig, java.nio.file.Path source) {
    public enum Mode { DHCP, NONE, FILE }

    public static final GuestNetwork DHCP = new GuestNetwork(Mode.DHCP, null, null);
    /** No interface configured, so cloud-init waits for no DHCP lease. */
    public static final GuestNetwork NONE = new GuestNetwork(Mode.NONE,
            "# Solstice: network none (no interface is configured)\nversion: 2\nethernets: {}\n", null);
}
