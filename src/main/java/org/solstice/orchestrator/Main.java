package org.solstice.orchestrator;

import org.solstice.orchestrator.cli.OrchestratorCommand;

/** Entry point of {@code orchestrator.jar}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(OrchestratorCommand.execute(args));
    }
}
