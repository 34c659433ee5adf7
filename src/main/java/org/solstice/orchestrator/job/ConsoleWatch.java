package org.solstice.orchestrator.job;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.guest.ExitMarker;
import org.solstice.orchestrator.hypervisor.Hypervisor;
import org.solstice.orchestrator.hypervisor.VmHandle;

/**
 * Watches a running job's VM for its end: the guest's power-off, or its bootstrap's tokened exit report on the
 * job channel or, failing that, on the console.
 */
final class ConsoleWatch {
    private static final Logger log = LoggerFactory.getLogger(ConsoleWatch.class);
    private static final Duration CONSOLE_POLL = Duration.ofMillis(20);
    private static final ExecutorService WATCHERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "vm-power-watch");
        t.setDaemon(true);
        return t;
    });

    private final Hypervisor hypervisor;

    ConsoleWatch(Hypervisor hypervisor) {
        this.hypervisor = hypervisor;
    }

    /**
     * Waits for the guest to power off, or for its bootstrap to report the job's exit status with the job's token
     * on the console: after that report the guest only syncs and powers off, which under emulation can take QEMU
     * seconds to finish, so the job counts as ended and the VM is destroyed.
     *
     * @return true when the job ended, false when {@code wait} ran out
     */
    boolean awaitEnd(VmHandle vm, Duration wait, String token) throws InterruptedException {
        if (token == null) {
            return hypervisor.awaitPowerOff(vm, wait);
        }
        // The backend's state call can block for as long as the hypervisor takes to stop the guest (libvirt holds
        // the domain while QEMU exits), so it waits on its own thread while this one watches the console.
        CompletableFuture<Boolean> off = CompletableFuture.supplyAsync(() -> {
            try {
                return hypervisor.awaitPowerOff(vm, wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }, WATCHERS);
        long deadline = System.nanoTime() + wait.toNanos();
        long consoleSize = -1;
        ChannelFollower channel = new ChannelFollower(vm.channelLog(), token);
        while (true) {
            try {
                return off.get(CONSOLE_POLL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillRunning) {
                // look at the console
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            }
            if (channel.reported().isPresent()) {
                log.debug("job {}: the guest reported its exit status on the job channel; not waiting for its"
                        + " power-off", vm.jobId());
                return true;
            }
            long size = vm.consoleLog().toFile().length();
            if (size != consoleSize) {
                consoleSize = size;
                if (ExitMarker.reported(ConsoleTail.readEnd(vm.consoleLog()), token).isPresent()) {
                    log.debug("job {}: the guest reported its exit status; not waiting for its power-off", vm.jobId());
                    return true;
                }
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
        }
    }
}
