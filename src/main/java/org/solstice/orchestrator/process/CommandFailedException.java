package org.solstice.orchestrator.process;

import java.util.List;
import org.solstice.orchestrator.OrchestratorException;

/** An external command failed, timed out or could not start; the message carries its stderr. */
public class CommandFailedException extends OrchestratorException {
    private final List<String> command;
    private final int exitCode;
    private final String stdout;
    private final String stderr;

    public CommandFailedException(List<String> command, int exitCode, String stdout, String stderr, Throwable cause) {
        super(String.join(" ", command) + " failed"
                + (exitCode >= 0 ? " with exit status " + exitCode : "")
                + (stderr == null || stderr.isBlank() ? "" : ": " + stderr.strip()), cause);
        this.command = List.copyOf(command);
        this.exitCode = exitCode;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public List<String> command() {
        return command;
    }

    /** The exit status, or -1 when the command did not exit by itself (timeout, start failure). */
    public int exitCode() {
        return exitCode;
    }

    public String stdout() {
        return stdout;
    }

    public String stderr() {
        return stderr;
    }
}
