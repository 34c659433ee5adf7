package org.solstice.orchestrator.hypervisor.libvirt;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo.DomainState;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

/** Small operations on domains by name, each freeing the native handle it looks up before returning. */
final class Domains {
    private Domains() {
    }

    /** What a lookup found. */
    enum State {
        /** No such domain (never defined, or undefined). */
        GONE,
        /** Defined, not running. */
        OFF,
        /** Running, paused, or shutting down. */
        ON
    }

    /** A domain operation that needs the handle. */
    @FunctionalInterface
    interface DomainCall<T> {
        T apply(Domain domain) throws LibvirtException;
    }

    /** Runs {@code call} on the named domain and frees the handle; returns {@code ifGone} when it does not exist. */
    static <T> T with(Connect connect, String name, T ifGone, DomainCall<T> call) throws LibvirtException {
        Domain domain;
        try {
            domain = connect.domainLookupByName(name);
        } catch (LibvirtException e) {
            if (isGone(e)) {
                return ifGone;
            }
            throw e;
        }
        try {
            return call.apply(domain);
        } catch (LibvirtException e) {
            if (isGone(e)) {
                return ifGone; // undefined between the lookup and the call
            }
            throw e;
        } finally {
            domain.free();
        }
    }

    /**
     * ON while the guest runs. SHUTDOWN counts as OFF: libvirt enters it when QEMU reports that the guest powered
     * itself off (after the ACPI power button, or a guest-side poweroff), and then spends a second or more under
     * software emulation until the QEMU process is gone; the guest has nothing left to do by then.
     */
    static State state(Connect connect, String name) throws LibvirtException {
        return with(connect, name, State.GONE, d -> {
            DomainState state = d.getInfo().state;
            return state == DomainState.VIR_DOMAIN_SHUTOFF || state == DomainState.VIR_DOMAIN_CRASHED
                    || state == DomainState.VIR_DOMAIN_SHUTDOWN ? State.OFF : State.ON;
        });
    }

    /** Names of all domains, running (listed by id) and defined-but-off. */
    static List<String> allNames(Connect connect) throws LibvirtException {
        Set<String> names = new LinkedHashSet<>(List.of(connect.listDefinedDomains()));
        for (int id : connect.listDomains()) {
            Domain domain;
            try {
                domain = connect.domainLookupByID(id);
            } catch (LibvirtException e) {
                if (isGone(e)) {
                    continue;
                }
                throw e;
            }
            try {
                names.add(domain.getName());
            } finally {
                domain.free();
            }
        }
        return new ArrayList<>(names);
    }

    static boolean isGone(LibvirtException e) {
        return LibvirtConnection.code(e) == ErrorNumber.VIR_ERR_NO_DOMAIN;
    }

    /** The domain is in a state the call does not apply to (e.g. destroying a domain that is not running). */
    static boolean isInvalidState(LibvirtException e) {
        return LibvirtConnection.code(e) == ErrorNumber.VIR_ERR_OPERATION_INVALID;
    }
}
