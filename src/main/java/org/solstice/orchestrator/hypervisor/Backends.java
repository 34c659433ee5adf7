package org.solstice.orchestrator.hypervisor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backends this build has ({@link HypervisorProvider}s found by {@link ServiceLoader}) and the choice among
 * them: by name, or {@value #AUTO} = the applicable one with the highest priority. Builds the router over the
 * chosen backend and every other one the image map names.
 */
public final class Backends {
    /** The choice that lets the host decide. */
    public static final String AUTO = "auto";

    private static final Logger log = LoggerFactory.getLogger(Backends.class);

    private final List<HypervisorProvider> providers;

    private Backends(List<HypervisorProvider> providers) {
        List<HypervisorProvider> sorted = new ArrayList<>(providers);
        sorted.sort(Comparator.comparingInt(HypervisorProvider::priority).reversed());
        this.providers = List.copyOf(sorted);
    }

    /** Every provider on the class path. */
    public static Backends discover() {
        List<HypervisorProvider> found = new ArrayList<>();
        ServiceLoader.load(HypervisorProvider.class, Backends.class.getClassLoader()).forEach(found::add);
        return new Backends(found);
    }

    /** These providers only (tests). */
    public static Backends of(List<HypervisorProvider> providers) {
        return new Backends(providers);
    }

    /** The backends' names, sorted. */
    public Set<String> names() {
        return providers.stream().map(HypervisorProvider::name).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The providers from the highest priority down. */
    public List<HypervisorProvider> providers() {
        return providers;
    }

    /**
     * The provider called {@code name}.
     *
     * @throws HypervisorException naming the known backends when there is none of that name
     */
    public HypervisorProvider provider(String name) {
        return providers.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new HypervisorException("--hypervisor: unknown backend '" + name + "' (known: "
                        + String.join(", ", choices()) + ")"));
    }

    /**
     * {@code value} as a choice: {@value #AUTO} or a backend's name, trimmed and in lower case.
     *
     * @throws HypervisorException naming the known backends when it is neither
     */
    public String choice(String value) {
        String choice = value == null ? AUTO : value.trim().toLowerCase(java.util.Locale.ROOT);
        if (!AUTO.equals(choice)) {
            provider(choice);
        }
        return choice;
    }

    /**
     * The backend {@code choice} names, or for {@value #AUTO} the applicable one with the highest priority.
     *
     * @throws HypervisorException when the name is unknown, or the named backend does not apply on this host
     */
    public HypervisorProvider choose(String choice, BackendOptions options) {
        if (AUTO.equals(choice)) {
            for (HypervisorProvider provider : providers) {
                if (provider.isApplicable(options)) {
                    log.info("hypervisor auto-detection chose {}", provider.name());
                    return provider;
                }
                log.info("hypervisor auto-detection: {} does not apply here (it needs {})", provider.name(),
                        provider.requirement());
            }
            throw new HypervisorException("--hypervisor auto: no backend applies on this host (known: "
                    + String.join(", ", names()) + ")");
        }
        HypervisorProvider provider = provider(choice);
        if (!provider.isApplicable(options)) {
            throw new HypervisorException("--hypervisor: backend '" + choice + "' does not apply on this host: it"
                    + " needs " + provider.requirement());
        }
        return provider;
    }

    /**
     * The router over the chosen backend (its default) and every backend in {@code imageBackends} (the ones the
     * image map names). Backends other than the chosen one are built without the applicability check: their
     * {@link Hypervisor#prepare()} says what is missing.
     */
    public RouterHypervisor router(String choice, Collection<String> imageBackends, BackendOptions options) {
        HypervisorProvider chosen = choose(choice, options);
        Set<HypervisorProvider> wanted = new LinkedHashSet<>();
        wanted.add(chosen);
        imageBackends.forEach(name -> wanted.add(provider(name)));
        List<Hypervisor> built = new ArrayList<>();
        try {
            for (HypervisorProvider provider : wanted) {
                built.add(provider.create(options));
            }
        } catch (RuntimeException e) {
            built.forEach(Hypervisor::close);
            throw e;
        }
        if (chosen.capabilities().bootsGuests()) {
            log.info("hypervisor backend: {}", chosen.name());
        } else {
            log.warn("*** hypervisor backend: {}. NO VIRTUAL MACHINE WILL BE STARTED: every job 'succeeds' without"
                    + " running anything. Use --hypervisor {} on a real host. ***", chosen.name(),
                    String.join(" or ", guestBooting()));
        }
        return new RouterHypervisor(built, chosen.name());
    }

    private List<String> choices() {
        List<String> all = new ArrayList<>();
        all.add(AUTO);
        all.addAll(names());
        return all;
    }

    private List<String> guestBooting() {
        return providers.stream().filter(p -> p.capabilities().bootsGuests()).map(HypervisorProvider::name).sorted()
                .toList();
    }
}
