package org.solstice.orchestrator.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.OrchestratorException;
import org.solstice.orchestrator.daemon.Daemon;
import org.solstice.orchestrator.daemon.DaemonConfig;
import sun.misc.Signal;

/**
 * Runs the daemon in the foreground until SIGTERM or SIGINT, then drains and returns 0. The signals are
 * handled directly (not through a JVM shutdown hook, whose exit status would be 143), so a drained stop exits
 * 0 as systemd expects; a shutdown hook remains as a fallback for other ways the JVM ends.
 */
final class DaemonLauncher {
    private static final Logger log = LoggerFactory.getLogger(DaemonLauncher.class);

    private DaemonLauncher() {
    }

    static int run(DaemonConfig config) {
        Daemon daemon = new Daemon(config);
        Runnable stop = () -> new Thread(daemon::shutdown, "shutdown").start();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                log.info("received SIG{}", signal.getName());
                stop.run();
            });
        }
        Runtime.getRuntime().addShutdownHook(new Thread(daemon::shutdown, "shutdown-hook"));
        try {
            daemon.start();
        } catch (OrchestratorException e) {
            log.error("cannot start: {}", e.getMessage());
            daemon.shutdown();
            return 1;
        } catch (java.io.IOException e) {
            log.error("cannot start: {}", e.getMessage());
            daemon.shutdown();
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        try {
            daemon.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
