package org.solstice.orchestrator.hypervisor.libvirt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.libvirt.Domain;
import org.solstice.orchestrator.OrchestratorException;
import org.solstice.orchestrator.hypervisor.HypervisorException;
import org.solstice.orchestrator.hypervisor.VmSpec;
import org.solstice.orchestrator.hypervisor.libvirt.Domains.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one job's VM without starting it: overlay disk, NoCloud seed, domain definition. When any step fails it
 * takes back exactly what it made itself, so refusing a VM whose name or files already exist never harms the
 * VM that owns them.
 */
final class DomainProvisioner {
    private static final Logger log = LoggerFactory.getLogger(DomainProvisioner.class);

    private final LibvirtConfig config;
    private final LibvirtConnection connection;
    private final OverlayDisk overlays;
    private final NoCloudSeed seeds;
    /** Names being provisioned right now: libvirt would let a second define of the same name replace the first. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    DomainProvisioner(LibvirtConfig config, LibvirtConnection connection, OverlayDisk overlays, NoCloudSeed seeds) {
        this.config = config;
        this.connection = connection;
        this.overlays = overlays;
        this.seeds = seeds;
    }

    void provision(VmSpec spec) {
        String name = spec.vmName();
        if (!inFlight.add(name)) {
            throw new HypervisorException("VM " + name + " is already being provisioned");
        }
        try {
            refuseExisting(spec);
            create(spec);
        } finally {
            inFlight.remove(name);
        }
    }

    private void refuseExisting(VmSpec spec) {
        String name = spec.vmName();
        JobFiles files = new JobFiles(spec.jobDir());
        State state = connection.call("look up domain " + name, c -> Domains.state(c, name));
        if (state != State.GONE) {
            throw new HypervisorException("VM " + name + " already exists in libvirt (" + config.uri() + ")");
        }
        if (!Files.isRegularFile(spec.imagePath())) {
            throw new HypervisorException("cannot provision VM " + name + ": image " + spec.imagePath() + " of "
                    + spec.imageName() + " does not exist");
        }
        if (Files.exists(files.overlay()) || Files.exists(files.seed())) {
            throw new HypervisorException("cannot provision VM " + name + ": " + spec.jobDir()
                    + " already holds a disk or seed of another VM");
        }
        try {
            HardwareXml.refuseUnsupported(spec, config);
        } catch (IllegalArgumentException e) {
            throw new HypervisorException("cannot provision VM " + name + ": " + e.getMessage(), e);
        }
    }

    private void create(VmSpec spec) {
        String name = spec.vmName();
        JobFiles files = new JobFiles(spec.jobDir());
        Undo undo = new Undo(name, files);
        try {
            undo.createdDir = !Files.isDirectory(spec.jobDir());
            Files.createDirectories(spec.jobDir());
            if (undo.createdDir) {
                // QEMU runs as another user (libvirt-qemu) and must reach the overlay and seed whatever our umask
                Files.setPosixFilePermissions(spec.jobDir(), PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            undo.overlay = true;
            overlays.create(spec.imagePath(), files.overlay(), spec.diskGiB());
            Path seed = null;
            if (spec.nocloud()) {
                undo.seed = true;
                seeds.create(files.seed(), files.seedStaging(), spec.jobId().toString(),
                        spec.hostname() == null ? name : spec.hostname(),
                        spec.userData() == null ? "" : spec.userData(), spec.networkConfig());
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
        } catch (IOException | OrchestratorException | IllegalArgumentException e) {
            undo.run();
            if (e instanceof HypervisorException he) {
                throw he;
            }
            throw new HypervisorException("cannot provision VM " + name + ": " + e.getMessage(), e);
        }
    }

    /** What a failed provision made and must take back. */
    private final class Undo {
        final String name;
        final JobFiles files;
        boolean createdDir;
        boolean overlay;
        boolean seed;
        boolean domain;

        Undo(String name, JobFiles files) {
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
