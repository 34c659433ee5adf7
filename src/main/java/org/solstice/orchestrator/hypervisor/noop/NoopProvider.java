package org.solstice.orchestrator.hypervisor.noop;

import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.hypervisor.BackendCapabilities;
import org.solstice.orchestrator.hypervisor.BackendOptions;
import org.solstice.orchestrator.hypervisor.Hypervisor;
import org.solstice.orchestrator.hypervisor.HypervisorProvider;

/**
 * The backend that starts nothing: applies everywhere, with the lowest priority. Option: {@code run-time}; and,
 * for tests only (no command-line option), {@link #PREPARE_IMAGES} {@code true}: the daemon prepares each label's
 * image as for a backend that boots it, and jobs wait for it.
 */
public final class NoopProvider implements HypervisorProvider {
    public static final String RUN_TIME = "run-time";
    public static final String PREPARE_IMAGES = "prepare-images";
    private static final Logger log = LoggerFactory.getLogger(NoopProvider.class);
    static final Duration DEFAULT_RUN_TIME = Duration.ofSeconds(1);

    @Override
    public String name() {
        return NoopHypervisor.NAME;
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public boolean isApplicable(BackendOptions options) {
        return true;
    }

    @Override
    public String requirement() {
        return "nothing";
    }

    @Override
    public BackendCapabilities capabilities() {
        return BackendCapabilities.NOTHING;
    }

    @Override
    public Map<String, String> defaults() {
        return Map.of(RUN_TIME, DEFAULT_RUN_TIME.toSeconds() + "s");
    }

    @Override
    public Hypervisor create(BackendOptions options) {
        Duration runTime = options.of(name()).duration(RUN_TIME).orElse(DEFAULT_RUN_TIME);
        log.info("noop backend: each job 'runs' for {} and succeeds without a virtual machine", runTime);
        if (options.of(name()).string(PREPARE_IMAGES).map(Boolean::parseBoolean).orElse(false)) {
            return new NoopHypervisor(runTime, new BackendCapabilities(false, false, true));
        }
        return new NoopHypervisor(runTime);
    }
}
