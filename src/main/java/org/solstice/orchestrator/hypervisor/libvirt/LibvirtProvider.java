package org.solstice.orchestrator.hypervisor.libvirt;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.hypervisor.BackendCapabilities;
import org.solstice.orchestrator.hypervisor.BackendOptions;
import org.solstice.orchestrator.hypervisor.Hypervisor;
import org.solstice.orchestrator.hypervisor.HypervisorProvider;

/**
 * The KVM/QEMU backend through libvirt: applies on Linux when libvirt answers its connection URI. Options
 * ({@code libvirt}): {@code uri}, {@code network}, {@code domain-type} (default: kvm when /dev/kvm exists, else qemu).
 */
public final class LibvirtProvider implements HypervisorProvider {
    public static final String URI = "uri";
    public static final String NETWORK = "network";
    public static final String DOMAIN_TYPE = "domain-type";
    private static final Logger log = LoggerFactory.getLogger(LibvirtProvider.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    @Override
    public String name() {
        return LibvirtHypervisor.NAME;
    }

    @Override
    public int priority() {
        return 100;
    }

    /** Linux, libvirt's library loads and the URI answers a read-only connection within 5 s. */
    @Override
    public boolean isApplicable(BackendOptions options) {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return false;
        }
        String uri = uri(options);
        CompletableFuture<Boolean> probe = CompletableFuture.supplyAsync(() -> {
            try {
                org.libvirt.Connect connect = new org.libvirt.Connect(uri, true);
                try {
                    connect.getLibVersion();
                    return true;
                } finally {
                    connect.close();
                }
            } catch (Exception | LinkageError e) {
                log.debug("libvirt at {} does not answer: {}", uri, e.toString());
                return false;
            }
        });
        try {
            return probe.get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public String requirement() {
        return "Linux with libvirt answering at --libvirt-uri / LIBVIRT_URI";
    }

    @Override
    public BackendCapabilities capabilities() {
        return BackendCapabilities.VIRTUAL_MACHINES;
    }

    @Override
    public Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put(URI, LibvirtConfig.DEFAULT_URI);
        defaults.put(NETWORK, LibvirtConfig.DEFAULT_NETWORK);
        return defaults;
    }

    @Override
    public Hypervisor create(BackendOptions options) {
        return new LibvirtHypervisor(config(options));
    }

    /** The operator's settings over the defaults. */
    LibvirtConfig config(BackendOptions options) {
        BackendOptions.Settings settings = options.of(name());
        return LibvirtConfig.defaults()
                .withUri(uri(options))
                .withNetwork(settings.string(NETWORK).orElse(LibvirtConfig.DEFAULT_NETWORK))
                .withDomainType(settings.string(DOMAIN_TYPE).orElse(null));
    }

    private String uri(BackendOptions options) {
        return options.of(name()).string(URI).orElse(LibvirtConfig.DEFAULT_URI);
    }
}
