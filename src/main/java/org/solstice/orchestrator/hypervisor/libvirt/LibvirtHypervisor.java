package org.solstice.orchestrator.hypervisor.libvirt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.solstice.orchestrator.OrchestratorException;
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
    private final OverlayDisk overlays;
    private final NoCloudSeed seeds;

    public LibvirtHypervisor(LibvirtConfig config) {
        this(config, new CommandRunner());
    }

    public LibvirtHypervisor(LibvirtConfig config, CommandRunner runner) {
        this.config = config;
        this.connection = new LibvirtConnection(config.uri());
        this.overlays = new OverlayDisk(runner, config.commandTimeout());
        this.seeds = new NoCloudSeed(runner, config.commandTimeout());
    }

    @Override
    public String name() {
        return NAME;
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
        String name = spec.vmName();
        JobFiles files = new JobFiles(spec.jobDir());
        if (state(name) != State.GONE) {
            throw new HypervisorException("VM " + name + " already exists in libvirt (" + config.uri() + ")");
        }
        if (!Files.isRegularFile(spec.imagePath())) {
            throw new HypervisorException("cannot provision VM " + name + ": image " + spec.imagePath()
                    + " of " + spec.imageName() + " does not exist");
        }
        if (Files.exists(files.overlay()) || Files.exists(files.seed())) {
            throw new HypervisorException("cannot provision VM " + name + ": " + spec.jobDir()
                    + " already holds a disk or seed of another VM");
        }
        ProvisionUndo undo = new ProvisionUndo(name, files);
        try {
            undo.createdDir = !Files.isDirectory(spec.jobDir());
            Files.createDirectories(spec.jobDir());
            undo.overlay = true;
            overlays.create(spec.imagePath(), files.overlay(), spec.diskGiB());
            Path seed = null;
            if (spec.nocloud()) {
                undo.seed = true;
                String hostname = spec.hostname() == null ? name : spec.hostname();
                seeds.create(files.seed(), files.seedStaging(), spec.jobId().toString(), hostname,
                        spec.userData() == null ? "" : spec.userData());
                seed = files.seed();
            }
            String xml = DomainXml.build(spec, config, files.overlay(), seed);
            connection.call("define domain " + name, c -> {
                Domain domain = c.domainDefineXML(xml);
                undo.domain = true;
                domain.free();
                return null;
            });
            log.info("provisioned VM {} from {} in {}", name, spec.imageName(), spec.jobDir());
            return VmHandle.of(spec, NAME);
        } catch (IOException | OrchestratorException | IllegalArgumentException e) {
            undo.run();
            if (e instanceof HypervisorException he) {
                throw he;
            }
            throw new HypervisorException("cannot provision VM " + name + ": " + e.getMessage(), e);
        }
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

    /** What a failed provision must take back: only what this provision made. */
    private final class ProvisionUndo {
        final String name;
        final JobFiles files;
        boolean createdDir;
        boolean overlay;
        boolean seed;
        boolean domain;

        ProvisionUndo(String name, JobFiles files) {
            this.name = name;
            this.files = files;
        }

        void run() {
            if (domain) {
                try {
                    connection.call("undefine domain " + name, c -> Domains.with(c, name, null, d -> {
                        d.undefine();
                        return null;
                    }));
                } catch (HypervisorException e) {
                    log.warn("provision of {} failed and its domain could not be undefined: {}", name,
                            e.getMessage());
                }
            }
            JobFileCleaner.deleteQuietly(name, overlay ? files.overlay() : null, seed ? files.seed() : null,
                    seed ? files.seedStaging() : null, createdDir ? files.jobDir() : null);
        }
    }
}
