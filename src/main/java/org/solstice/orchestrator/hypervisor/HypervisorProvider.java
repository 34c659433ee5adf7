package org.solstice.orchestrator.hypervisor;

import java.util.Map;

/**
 * One backend, as the daemon finds it: its name, whether it applies on this host, its priority for
 * {@code --hypervisor auto}, what it can do, and how it builds itself from its options. Implementations are found
 * with {@link java.util.ServiceLoader} ({@code META-INF/services/org.solstice.orchestrator.hypervisor.HypervisorProvider})
 * and chosen by {@link Backends}; nothing outside a backend's package names its classes.
 */
public interface HypervisorProvider {

    /** The backend's name: the value of {@code --hypervisor} and of an image's {@code backend} key. */
    String name();

    /** {@code auto} tries applicable providers from the highest priority down; noop has the lowest. */
    int priority();

    /**
     * Whether this backend can run here (its host programs or service are present). Called for {@code auto} and
     * for an explicit {@code --hypervisor}; may take a few seconds (a connection probe), never longer.
     */
    boolean isApplicable(BackendOptions options);

    /** What this host lacks when {@link #isApplicable} is false, for the error an operator reads. */
    String requirement();

    /** What the backend does. */
    BackendCapabilities capabilities();

    /**
     * The defaults of the options the backend reads, by key, as an operator would write them (shown in the CLI's
     * help); a key without a default is absent.
     */
    Map<String, String> defaults();

    /**
     * Builds the backend from the operator's settings ({@link BackendOptions#of} its name) and its defaults.
     *
     * @throws HypervisorException when a setting it needs is missing or wrong, naming the option
     */
    Hypervisor create(BackendOptions options);
}
