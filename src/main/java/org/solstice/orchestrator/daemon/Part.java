package org.solstice.orchestrator.daemon;

import java.io.IOException;

/**
 * One part of the running daemon. The daemon starts its parts in order, each after the ones it uses, and stops
 * the started ones in reverse. {@link #stop()} must cope with a part whose start failed half-way.
 */
interface Part {
    void start() throws IOException, InterruptedException;

    void stop();
}
