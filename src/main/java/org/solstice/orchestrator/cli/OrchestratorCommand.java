package org.solstice.orchestrator.cli;

/** Placeholder until the picocli root command lands. */
public final class OrchestratorCommand {
    private OrchestratorCommand() {
    }

    public static int execute(String[] args) {
        return 0;
    }
}
