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
        List<String> command = new java.util.ArrayList<>(config.commandPrefix());
        command.addAll(List.of(config.zlogin(), "-C", "-E", "-d", zone));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(environment);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(consoleLog.toFile()));
        pb.redirectErrorStream(true);
        Process process;
        long offset;
        try {
            Files.createDirectories(consoleLog.getParent());
            offset = Files.exists(consoleLog) ? Files.size(consoleLog) : 0;
            process = pb.start();
        } catch (IOException e) {
            throw new HypervisorException("cannot start the console capture of zone " + zone + " ("
                    + String.join(" ", command) + "): " + e.getMessage(), e);
        }
        captures.put(zone, process);
        awaitConnected(zone, process, consoleLog, offset, command);
    }

    /**
     * Waits for zlogin's {@code [Connected to zone 'NAME' console]} so that nothing the guest prints after
     * {@code zoneadm boot} is missed.
     */
    private void awaitConnected(String zone, Process process, Path consoleLog, long offset, List<String> command) {
        String banner = "[Connected to zone '" + zone + "' console]";
        long deadline = System.nanoTime() + config.commandTimeout().toNanos();
        try {
            while (true) {
                String written = tail(consoleLog, offset);
                if (written.contains(banner)) {
                    return;
                }
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    stop(zone);
                    throw new HypervisorException("console capture of zone " + zone + " ("
                            + String.join(" ", command) + ") did not connect"
                            + (process.isAlive() ? " in time" : ", it exited with status " + process.exitValue())
                            + (written.isBlank() ? "" : ": " + written.strip()));
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            stop(zone);
            Thread.currentThread().interrupt();
            throw new HypervisorException("interrupted while attaching to the console of zone " + zone, e);
        }
    }

    private static String tail(Path file, long offset) {
        try {
            byte[] all = Files.readAllBytes(file);
            return offset >= all.length ? "" : new String(all, (int) offset, all.length - (int) offset,
                    java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    boolean isCapturing(String zone) {
        Process process = captures.get(zone);
        return process != null && process.isAlive();
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
