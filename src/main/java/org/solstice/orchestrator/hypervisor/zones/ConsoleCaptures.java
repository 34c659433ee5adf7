package org.solstice.orchestrator.hypervisor.zones;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.hypervisor.HypervisorException;

/**
 * Logs each zone's serial console to the job's console log: a bhyve zone's guest COM1 is the zone console, and
 * {@code zlogin -C -E -d ZONE} attached before boot copies everything the guest prints, then disconnects by itself
 * when the zone halts ({@code -d}). Its stdin is a pipe that is never written or closed, so it never sends input
 * ({@code -E}: no escape sequences either).
 */
final class ConsoleCaptures implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConsoleCaptures.class);

    private final ZonesConfig config;
    private final Map<String, String> environment;
    private final Map<String, Process> captures = new ConcurrentHashMap<>();

    ConsoleCaptures(ZonesConfig config, Map<String, String> environment) {
        this.config = config;
        this.environment = Map.copyOf(environment);
    }

    void start(String zone, Path consoleLog) {
        stop(zone);
        List<String> command = List.of(config.zlogin(), "-C", "-E", "-d", zone);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(environment);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(consoleLog.toFile()));
        pb.redirectErrorStream(true);
        try {
            Files.createDirectories(consoleLog.getParent());
            captures.put(zone, pb.start());
        } catch (IOException e) {
            throw new HypervisorException("cannot start the console capture of zone " + zone + " ("
                    + String.join(" ", command) + "): " + e.getMessage(), e);
        }
    }

    /** Waits for the capture to end by itself (zone halted, output drained); false if it did not in time. */
    boolean awaitDrained(String zone, Duration limit) throws InterruptedException {
        Process process = captures.get(zone);
        return process == null || process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(String zone) {
        Process process = captures.remove(zone);
        if (process != null && process.isAlive()) {
            log.debug("stopping console capture of zone {}", zone);
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        List.copyOf(captures.keySet()).forEach(this::stop);
    }
}
