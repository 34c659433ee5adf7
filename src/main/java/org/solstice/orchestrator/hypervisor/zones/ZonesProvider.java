package org.solstice.orchestrator.hypervisor.zones;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.solstice.orchestrator.hypervisor.BackendCapabilities;
import org.solstice.orchestrator.hypervisor.BackendOptions;
import org.solstice.orchestrator.hypervisor.Hypervisor;
import org.solstice.orchestrator.hypervisor.HypervisorException;
import org.solstice.orchestrator.hypervisor.HypervisorProvider;

/**
 * The illumos bhyve zones backend: applies on illumos, where {@code auto} prefers it. Options ({@code zones}):
 * {@code link} (required), {@code images-dataset}, {@code jobs-dataset}, {@code root}.
 */
public final class ZonesProvider implements HypervisorProvider {
    public static final String LINK = "link";
    public static final String IMAGES_DATASET = "images-dataset";
    public static final String JOBS_DATASET = "jobs-dataset";
    public static final String ROOT = "root";

    @Override
    public String name() {
        return ZonesHypervisor.NAME;
    }

    @Override
    public int priority() {
        return 200;
    }

    @Override
    public boolean isApplicable(BackendOptions options) {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("sunos");
    }

    @Override
    public String requirement() {
        return "an illumos host (zonecfg, zoneadm, ZFS)";
    }

    @Override
    public BackendCapabilities capabilities() {
        return BackendCapabilities.VIRTUAL_MACHINES;
    }

    @Override
    public Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put(IMAGES_DATASET, ZonesConfig.DEFAULT_IMAGES_DATASET);
        defaults.put(JOBS_DATASET, ZonesConfig.DEFAULT_JOBS_DATASET);
        defaults.put(ROOT, ZonesConfig.DEFAULT_ZONEPATH_ROOT.toString());
        return defaults;
    }

    @Override
    public Hypervisor create(BackendOptions options) {
        return new ZonesHypervisor(config(options));
    }

    /** The operator's settings over the defaults. */
    ZonesConfig config(BackendOptions options) {
        BackendOptions.Settings settings = options.of(name());
        String link = settings.string(LINK).orElseThrow(() -> new HypervisorException("--zones-link: the zones"
                + " backend needs the physical link its VNICs go over (e.g. igb0): set --zones-link or ZONES_LINK"));
        ZonesConfig.Builder config = ZonesConfig.builder(link);
        settings.string(IMAGES_DATASET).ifPresent(config::imagesDataset);
        settings.string(JOBS_DATASET).ifPresent(config::jobsDataset);
        settings.path(ROOT).ifPresent(config::zonepathRoot);
        return config.build();
    }
}
