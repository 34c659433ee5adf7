package org.solstice.orchestrator.hypervisor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dispatches each VM to the backend its image asks for ({@link VmSpec#backend()}), or to the default one.
 * Operations on a provisioned VM go to the backend named in its handle.
 */
public class RouterHypervisor implements Hypervisor {
    private final Map<String, Hypervisor> backends;
    private final String defaultBackend;

    public RouterHypervisor(List<Hypervisor> backends, String defaultBackend) {
        this.backends = new LinkedHashMap<>();
        for (Hypervisor backend : backends) {
            this.backends.put(backend.name(), backend);
        }
        if (!this.backends.containsKey(defaultBackend)) {
            throw new IllegalArgumentException("default backend " + defaultBackend + " is not among "
                    + this.backends.keySet());
        }
        this.defaultBackend = defaultBackend;
    }

    @Override
    public String name() {
        return defaultBackend;
    }

    public String defaultBackend() {
        return defaultBackend;
    }

    /** The backends this router dispatches to. */
    public java.util.Collection<Hypervisor> backends() {
        return java.util.Collections.unmodifiableCollection(backends.values());
    }

    @Override
    public BackendCapabilities capabilities() {
        return backends.values().stream().map(Hypervisor::capabilities).reduce(BackendCapabilities::or)
                .orElseThrow();
    }

    @Override
    public BackendCapabilities capabilitiesFor(String backend) {
        Hypervisor named = backends.get(backend == null ? defaultBackend : backend);
        // a backend this host does not run fails the provisioning; until then the default one answers
        return (named == null ? backends.get(defaultBackend) : named).capabilities();
    }

    public boolean serves(String backend) {
        return backend == null || backends.containsKey(backend);
    }

    @Override
    public void prepare() {
        for (Hypervisor backend : backends.values()) {
            backend.prepare();
        }
    }

    @Override
    public boolean isReachable() {
        return backends.values().stream().allMatch(Hypervisor::isReachable);
    }

    @Override
    public VmHandle provision(VmSpec spec) {
        String wanted = spec.backend() == null ? defaultBackend : spec.backend();
        Hypervisor backend = backends.get(wanted);
        if (backend == null) {
            throw new HypervisorException("image " + spec.imageName() + " asks for backend '" + wanted
                    + "', which this host does not run (it runs " + backends.keySet() + ")");
        }
        return backend.provision(spec);
    }

    @Override
    public void start(VmHandle vm) {
        backendOf(vm).start(vm);
    }

    @Override
    public boolean awaitPowerOff(VmHandle vm, Duration timeout) throws InterruptedException {
        return backendOf(vm).awaitPowerOff(vm, timeout);
    }

    @Override
    public boolean stop(VmHandle vm, Duration timeout) throws InterruptedException {
        return backendOf(vm).stop(vm, timeout);
    }

    @Override
    public void destroy(VmHandle vm) {
        backendOf(vm).destroy(vm);
    }

    @Override
    public void cleanup(VmHandle vm) {
        backendOf(vm).cleanup(vm);
    }

    @Override
    public List<String> listManagedVms(String instanceId) {
        List<String> all = new ArrayList<>();
        for (Hypervisor backend : backends.values()) {
            all.addAll(backend.listManagedVms(instanceId));
        }
        return all;
    }

    @Override
    public void close() {
        backends.values().forEach(Hypervisor::close);
    }

    private Hypervisor backendOf(VmHandle vm) {
        Hypervisor backend = backends.get(vm.backend());
        if (backend == null) {
            throw new HypervisorException("VM " + vm.name() + " belongs to backend '" + vm.backend()
                    + "', which this host does not run");
        }
        return backend;
    }
}
