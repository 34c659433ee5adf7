package org.solstice.orchestrator.daemon;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.config.ConfigException;
import org.solstice.orchestrator.config.ImageDefinition;
import org.solstice.orchestrator.config.ImageMap;
import org.solstice.orchestrator.hypervisor.Hypervisor;
import org.solstice.orchestrator.hypervisor.RouterHypervisor;
import org.solstice.orchestrator.hypervisor.libvirt.LibvirtConfig;
import org.solstice.orchestrator.hypervisor.libvirt.LibvirtHypervisor;
import org.solstice.orchestrator.hypervisor.noop.NoopHypervisor;
import org.solstice.orchestrator.hypervisor.zones.ZonesConfig;
import org.solstice.orchestrator.hypervisor.zones.ZonesHypervisor;

/** Builds the router over the backends this host runs: the chosen default plus any other an image asks for. */
final class HypervisorFactory {
    private static final Logger log = LoggerFactory.getLogger(HypervisorFactory.class);

    private HypervisorFactory() {
    }

    static RouterHypervisor create(DaemonConfig config, ImageMap images) {
        String defaultBackend = resolveDefault(config);
        Set<String> wanted = new LinkedHashSet<>();
        wanted.add(defaultBackend);
        for (ImageDefinition image : images.images().values()) {
            if (image.backend() != null) {
                wanted.add(image.backend());
            }
        }
        List<Hypervisor> backends = new ArrayList<>();
        for (String name : wanted) {
            backends.add(create(name, config));
        }
        if (NoopHypervisor.NAME.equals(defaultBackend)) {
            log.warn("*** hypervisor backend: noop. NO VIRTUAL MACHINE WILL BE STARTED: every job 'succeeds' after"
                    + " {} without running anything. Use --hypervisor libvirt or zones on a real host. ***",
                    config.noopRunTime());
        } else {
            log.info("hypervisor backend: {}", defaultBackend);
        }
        return new RouterHypervisor(backends, defaultBackend);
    }

    private static String resolveDefault(DaemonConfig config) {
        return switch (config.hypervisor()) {
            case NOOP -> NoopHypervisor.NAME;
            case LIBVIRT -> "libvirt";
            case ZONES -> "zones";
            case AUTO -> autoDetect(config);
        };
    }

    private static String autoDetect(DaemonConfig config) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("sunos")) {
            return "zones";
        }
        if (os.contains("linux") && libvirtAnswers(config)) {
            return "libvirt";
        }
        log.warn("hypervisor auto-detection: no libvirt answering at {} and not illumos; falling back to noop",
                config.libvirtUri());
        return NoopHypervisor.NAME;
    }

    /** Whether libvirt's library loads and {@code LIBVIRT_URI} answers a read-only connection within 5 s. */
    static boolean libvirtAnswers(DaemonConfig config) {
        java.util.concurrent.CompletableFuture<Boolean> probe = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                org.libvirt.Connect connect = new org.libvirt.Connect(config.libvirtUri(), true);
                try {
                    connect.getLibVersion();
                    return true;
                } finally {
                    connect.close();
                }
            } catch (Exception | LinkageError e) {
                log.debug("libvirt at {} does not answer: {}", config.libvirtUri(), e.toString());
                return false;
            }
        });
        try {
            return probe.get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            return false;
        }
    }

    private static Hypervisor create(String name, DaemonConfig config) {
        return switch (name) {
            case NoopHypervisor.NAME -> new NoopHypervisor(config.noopRunTime());
            case LibvirtHypervisor.NAME -> new LibvirtHypervisor(LibvirtConfig.defaults()
                    .withUri(config.libvirtUri())
                    .withNetwork(config.libvirtNetwork())
                    .withDomainType(config.libvirtDomainType())
                    .withShutdownResendInterval(java.time.Duration.ofSeconds(10)));
            case ZonesHypervisor.NAME -> {
                DaemonConfig.ZonesSettings z = config.zones();
                if (z.physicalLink() == null || z.physicalLink().isBlank()) {
                    throw new ConfigException("--zones-link", "the zones backend needs the physical link its VNICs"
                            + " go over (e.g. igb0): set --zones-link or ZONES_LINK");
                }
                yield new ZonesHypervisor(ZonesConfig.builder(z.physicalLink()).imagesDataset(z.imagesDataset())
                        .jobsDataset(z.jobsDataset()).zonepathRoot(z.zonepathRoot()).build());
            }
            default -> throw new ConfigException("--hypervisor", "backend '" + name
                    + "' is not available in this build");
        };
    }
}
