package org.solstice.orchestrator.hypervisor.libvirt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.solstice.orchestrator.hypervisor.BackendCapabilities;
import org.solstice.orchestrator.hypervisor.Hypervisor;
import org.solstice.orchestrator.hypervisor.HypervisorException;
import org.solstice.orchestrator.hypervisor.VmHandle;
import org.solstice.orchestrator.hypervisor.VmSpec;
import org.solstice.orchestrator.hypervisor.libvirt.Domains.State;
import org.solstice.orchestrator.process.CommandRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each job in a libvirt domain (QEMU/KVM; libvirt's {@code test} driver for lifecycle tests): a qcow2
 * overlay on the job's image, a NoCloud seed carrying the bootstrap as user-data, and a persistent domain whose
 * serial console is written to the job's console log. See {@link Hypervisor} for the life cycle and the failure
 * contract.
 */
public class LibvirtHypervisor implements Hypervisor {
    public static final String NAME = "libvirt";
    private static final Logger log = LoggerFactory.getLogger(LibvirtHypervisor.class);

    private final LibvirtConfig config;
    private final LibvirtConnection connection;
    private final DomainProvisioner provisioner;

    public LibvirtHypervisor(LibvirtConfig config) {
        this(config, new CommandRunner());
    }

    public LibvirtHypervisor(LibvirtConfig config, CommandRunner runner) {
        this.config = config;
        this.connection = new LibvirtConnection(config.uri());
        this.provisioner = new DomainProvisioner(config, connection,
                new OverlayDisk(runner, config.commandTimeout()), new NoCloudSeed(runner, config.commandTimeout()));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public BackendCapabilities capabilities() {
        return BackendCapabilities.VIRTUAL_MACHINES;
    }

    @Override
    public void prepare() {
        connection.call("check network " + config.network(), c -> {
            NetworkGuard.ensureActiveAndAutostarted(c, config.network());
            return null;
        });
        log.info("libvirt backend ready: {} (domain type {}, network {})", config.uri(),
                config.effectiveDomainType(), config.network());
    }

    @Override
    public boolean isReachable() {
        try {
            connection.call("get libvirt version", c -> c.getLibVersion());
            return true;
        } catch (HypervisorException e) {
            return false;
        }
    }

    @Override
    public VmHandle provision(VmSpec spec) {
        provisioner.provision(spec);
        return VmHandle.of(spec, NAME);
    }

    @Override
    public void start(VmHandle vm) {
        boolean found = connection.call("start domain " + vm.name(), c -> Domains.with(c, vm.name(), false, d -> {
            d.create();
            return true;
        }));
        if (!found) {
            throw new HypervisorException("cannot start VM " + vm.name() + ": no such libvirt domain (not provisioned,"
                    + " or already cleaned up)");
        }
        log.info("started VM {}", vm.name());
    }

    @Override
    public boolean awaitPowerOff(VmHandle vm, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (state(vm.name()) != State.ON) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            Thread.sleep(Math.max(1, Math.min(config.pollInterval().toMillis(), left / 1_000_000)));
        }
    }

    @Override
    public boolean stop(VmHandle vm, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean pressed = connection.call("shut down domain " + vm.name(), c ->
                    Domains.with(c, vm.name(), false, d -> {
                        if (d.isActive() != 1) {
                            return false;
                        }
                        d.shutdown();
                        return true;
                    }));
            if (!pressed) {
                return true;
            }
            log.debug("pressed the ACPI power button of VM {}", vm.name());
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return state(vm.name()) != State.ON;
            }
            Duration wait = Duration.ofNanos(Math.min(left, config.shutdownResendInterval().toNanos()));
            if (awaitPowerOff(vm, wait)) {
                log.info("VM {} shut down", vm.name());
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
        }
    }

    @Override
    public void destroy(VmHandle vm) {
        connection.call("destroy domain " + vm.name(), c -> Domains.with(c, vm.name(), null, d -> {
            destroyIfActive(d);
            return null;
        }));
    }

    @Override
    public void cleanup(VmHandle vm) {
        connection.call("undefine domain " + vm.name(), c -> Domains.with(c, vm.name(), null, d -> {
            destroyIfActive(d); // undefining a running domain would leave it running as a transient one
            d.undefine();
            return null;
        }));
        JobFiles files = new JobFiles(vm.jobDir());
        JobFileCleaner.delete(vm.name(), files);
    }

    @Override
    public List<String> listManagedVms(String instanceId) {
        return connection.call("list domains", c -> {
            List<String> managed = new ArrayList<>();
            for (String name : Domains.allNames(c)) {
                String xml = Domains.with(c, name, null, d -> d.getXMLDesc(0));
                if (xml != null && DomainMetadata.instanceOf(xml).filter(instanceId::equals).isPresent()) {
                    managed.add(name);
                }
            }
            return managed;
        });
    }

    @Override
    public void close() {
        connection.close();
    }

    LibvirtConnection connection() {
        return connection;
    }

    private State state(String name) {
        return connection.call("get state of domain " + name, c -> Domains.state(c, name));
    }

    private static void destroyIfActive(Domain d) throws LibvirtException {
        if (d.isActive() == 1) {
            try {
                d.destroy();
            } catch (LibvirtException e) {
                if (!Domains.isInvalidState(e)) { // it powered off between the check and the destroy
                    throw e;
                }
            }
        }
    }
}
