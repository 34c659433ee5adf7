package org.solstice.orchestrator.hypervisor.libvirt;

import org.libvirt.Connect;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.Network;
import org.solstice.orchestrator.hypervisor.HypervisorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Makes sure the libvirt network the guests attach to exists, is active and starts with libvirtd. */
final class NetworkGuard {
    private static final Logger log = LoggerFactory.getLogger(NetworkGuard.class);

    private NetworkGuard() {
    }

    /** @throws HypervisorException when the network is not defined, with what to do about it */
    static void ensureActiveAndAutostarted(Connect connect, String name) throws LibvirtException {
        Network network;
        try {
            network = connect.networkLookupByName(name);
        } catch (LibvirtException e) {
            if (LibvirtConnection.code(e) == ErrorNumber.VIR_ERR_NO_NETWORK) {
                throw new HypervisorException("libvirt network '" + name + "' does not exist on "
                        + connect.getURI() + ": define it (virsh net-define) or point the network option at an"
                        + " existing one", e);
            }
            throw e;
        }
        try {
            if (network.isActive() != 1) {
                log.info("starting libvirt network {}", name);
                network.create();
            }
            if (!network.getAutostart()) {
                log.info("marking libvirt network {} autostarted", name);
                network.setAutostart(true);
            }
        } finally {
            network.free();
        }
    }
}
