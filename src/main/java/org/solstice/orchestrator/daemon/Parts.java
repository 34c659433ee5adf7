package org.solstice.orchestrator.daemon;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The daemon's parts in start order: started one after the other, the started ones stopped in reverse. */
final class Parts {
    private static final Logger log = LoggerFactory.getLogger(Parts.class);

    private final List<Part> order;
    private final Deque<Part> started = new ArrayDeque<>();

    Parts(List<Part> order) {
        this.order = List.copyOf(order);
    }

    /**
     * Starts each part in order while {@code keepGoing} says so; a part that fails to start stops the rest.
     *
     * @return true when every part started
     */
    synchronized boolean startAll(BooleanSupplier keepGoing) throws IOException, InterruptedException {
        for (Part part : order) {
            if (!keepGoing.getAsBoolean()) {
                return false;
            }
            started.push(part); // before start(): a part that fails half-way is stopped too
            part.start();
        }
        return true;
    }

    /** Stops the started parts, last started first; one that fails to stop does not keep the others running. */
    synchronized void stopAll() {
        while (!started.isEmpty()) {
            Part part = started.pop();
            try {
                part.stop();
            } catch (RuntimeException e) {
                log.warn("stopping {}: {}", part.getClass().getSimpleName(), e.getMessage());
            }
        }
    }
}
