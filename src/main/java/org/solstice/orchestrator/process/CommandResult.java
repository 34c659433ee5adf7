package org.solstice.orchestrator.process;

import java.util.List;

/** What an external command printed and how it exited. */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {
    public boolean succeeded() {
        return exitCode == 0;
    }
}
