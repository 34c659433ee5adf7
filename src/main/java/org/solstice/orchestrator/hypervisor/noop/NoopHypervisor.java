package org.solstice.orchestrator.hypervisor.noop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.solstice.orchestrator.guest.BootstrapScript;
import org.solstice.orchestrator.guest.ExitMarker;
import org.solstice.orchestrator.hypervisor.BackendCapabilities;
import org.solstice.orchestrator.hypervisor.Hypervisor;
import org.solstice.orchestrator.hypervisor.HypervisorException;
import org.solstice.orchestrator.hypervisor.VmHandle;
import org.solstice.orchestrator.hypervisor.VmSpec;

/**
 * Starts no VM: each "guest" runs for a configured time, prints the exit report with status 0 (and the token of
 * the job's bootstrap) and powers off.
 * It lets the whole daemon run on hosts without a hypervisor, and it enforces the same life-cycle rules as a
 * real backend (no start before provision, no second start, no duplicate names).
 */
public class NoopHypervisor implements Hypervisor {
    public static final String NAME = "noop";
    private static final String INTRO = "noop: no virtual machine was started for this job\n";

    private final Duration runTime;
    private final BackendCapabilities capabilities;
    private final Map<String, NoopVm> vms = new ConcurrentHashMap<>();

    public NoopHypervisor(Duration runTime) {
        this(runTime, BackendCapabilities.NOTHING);
    }

    /** @param capabilities what it says it does (a test may have its images prepared though it boots none) */
    public NoopHypervisor(Duration runTime, BackendCapabilities capabilities) {
        this.runTime = runTime;
        this.capabilities = capabilities;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public BackendCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public void prepare() {
        // nothing to connect to
    }

    @Override
    public VmHandle provision(VmSpec spec) {
        NoopVm vm = new NoopVm(spec.instanceId(), BootstrapScript.token(spec.userData()).orElse(null));
        if (vms.putIfAbsent(spec.vmName(), vm) != null) {
            throw new HypervisorException("VM " + spec.vmName() + " already exists");
        }
        try {
            Files.createDirectories(spec.jobDir());
        } catch (IOException e) {
            vms.remove(spec.vmName());
            throw new HypervisorException("cannot create job directory " + spec.jobDir() + ": " + e.getMessage(), e);
        }
        return VmHandle.of(spec, NAME);
    }

    @Override
    public void start(VmHandle handle) {
        NoopVm vm = existing(handle);
        synchronized (vm) {
            if (vm.startedAtNanos != 0) {
                throw new HypervisorException("VM " + handle.name() + " is already running");
            }
            vm.startedAtNanos = System.nanoTime();
        }
    }

    @Override
    public boolean awaitPowerOff(VmHandle handle, Duration timeout) throws InterruptedException {
        NoopVm vm = existing(handle);
        long startedAt;
        synchronized (vm) {
            if (vm.startedAtNanos == 0) {
                throw new HypervisorException("VM " + handle.name() + " was never started");
            }
            startedAt = vm.startedAtNanos;
        }
        long remaining = runTime.toNanos() - (System.nanoTime() - startedAt);
        long called = System.nanoTime();
        remaining = tick(handle, vm, startedAt, remaining, timeout);
        timeout = Duration.ofNanos(Math.max(0, timeout.toNanos() - (System.nanoTime() - called)));
        if (remaining > 0) {
            boolean stoppedEarly = vm.off.await(Math.min(remaining, timeout.toNanos()), TimeUnit.NANOSECONDS);
            if (stoppedEarly) {
                return true;
            }
            if (remaining > timeout.toNanos()) {
                return false;
            }
        }
        powerOff(handle, vm, true);
        return true;
    }

    /**
     * Prints {@code noop: running for N s} on the console at each full second of the run time (none for runs
     * of a second or less), so the console grows while the job runs, as a real guest's does.
     *
     * @return the run time left
     */
    private long tick(VmHandle handle, NoopVm vm, long startedAt, long remaining, Duration timeout)
            throws InterruptedException {
        long second = TimeUnit.SECONDS.toNanos(1);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long elapsed = System.nanoTime() - startedAt;
            long nextTick = (elapsed / second + 1) * second;
            if (nextTick >= runTime.toNanos() || startedAt + nextTick - deadline > 0) {
                return runTime.toNanos() - elapsed;
            }
            if (vm.off.await(nextTick - elapsed, TimeUnit.NANOSECONDS)) {
                return 0;
            }
            synchronized (vm) {
                if (vm.off.getCount() > 0) {
                    try {
                        Files.writeString(handle.consoleLog(), (vm.printed ? "" : INTRO) + "noop: running for "
                                + nextTick / second + " s\n",
                                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    } catch (IOException e) {
                        throw new HypervisorException("cannot write console log " + handle.consoleLog(), e);
                    }
                    vm.printed = true;
                }
            }
        }
    }

    @Override
    public boolean stop(VmHandle handle, Duration timeout) {
        NoopVm vm = vms.get(handle.name());
        if (vm != null) {
            powerOff(handle, vm, false);
        }
        return true;
    }

    @Override
    public void destroy(VmHandle handle) {
        NoopVm vm = vms.get(handle.name());
        if (vm != null) {
            powerOff(handle, vm, false);
        }
    }

    @Override
    public void cleanup(VmHandle handle) {
        NoopVm vm = vms.remove(handle.name());
        if (vm != null) {
            vm.off.countDown();
        }
    }

    @Override
    public List<String> listManagedVms(String instanceId) {
        List<String> names = new ArrayList<>();
        vms.forEach((name, vm) -> {
            if (vm.instanceId.equals(instanceId)) {
                names.add(name);
            }
        });
        return names;
    }

    @Override
    public void close() {
        vms.values().forEach(vm -> vm.off.countDown());
    }

    private NoopVm existing(VmHandle handle) {
        NoopVm vm = vms.get(handle.name());
        if (vm == null) {
            throw new HypervisorException("VM " + handle.name() + " does not exist");
        }
        return vm;
    }

    private static void powerOff(VmHandle handle, NoopVm vm, boolean completed) {
        synchronized (vm) {
            if (vm.off.getCount() == 0) {
                return;
            }
            if (completed || vm.startedAtNanos != 0) {
                // what a guest would have printed, written once when it powers off
                String console = (vm.printed ? "" : INTRO) + (completed ? report(vm) + "\n" : "");
                try {
                    Files.writeString(handle.consoleLog(), console, StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new HypervisorException("cannot write console log " + handle.consoleLog(), e);
                }
            }
            vm.off.countDown();
        }
    }

    /** The report the bootstrap would have printed: with the job's token when the user-data carries one. */
    private static String report(NoopVm vm) {
        return vm.token == null ? ExitMarker.line(0) : ExitMarker.line(0, vm.token);
    }

    private static final class NoopVm {
        final String instanceId;
        final String token;
        final CountDownLatch off = new CountDownLatch(1);
        long startedAtNanos;
        boolean printed;

        NoopVm(String instanceId, String token) {
            this.instanceId = instanceId;
            this.token = token;
        }
    }
}
