package org.solstice.orchestrator.hypervisor.zones;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.hypervisor.HypervisorException;
import org.solstice.orchestrator.process.CommandFailedException;
import org.solstice.orchestrator.process.CommandResult;
import org.solstice.orchestrator.process.CommandRunner;

/**
 * Runs the host's administration commands with the backend's timeout and turns their failures into
 * {@link HypervisorException}s that say what was being done, the command line and its stderr.
 */
final class HostCommands {
    private static final Logger log = LoggerFactory.getLogger(HostCommands.class);

    private final CommandRunner runner;
    private final Duration timeout;
    private final List<String> prefix;

    HostCommands(CommandRunner runner, Duration timeout) {
        this(runner, timeout, List.of());
    }

    /** @param prefix put before each command line the backend's host tools run ({@code pfexec}) */
    HostCommands(CommandRunner runner, Duration timeout, List<String> prefix) {
        this.runner = runner;
        this.timeout = timeout;
        this.prefix = List.copyOf(prefix);
    }

    /** The command with the privilege prefix, if one is configured. */
    List<String> privileged(List<String> command) {
        if (prefix.isEmpty()) {
            return command;
        }
        List<String> full = new java.util.ArrayList<>(prefix);
        full.addAll(command);
        return full;
    }

    /** Runs and returns the result whatever the exit status; a timeout or start failure still raises. */
    CommandResult run(String what, List<String> command) {
        return run(what, command, timeout, null);
    }

    CommandResult run(String what, List<String> command, Duration limit, Path workingDirectory) {
        List<String> full = privileged(command);
        log.debug("{}: {}", what, full);
        try {
            return runner.run(full, limit, workingDirectory);
        } catch (CommandFailedException e) {
            throw new HypervisorException(what + ": " + e.getMessage(), e);
        }
    }

    /** Runs and raises unless the command exits 0. */
    CommandResult check(String what, List<String> command) {
        return check(what, command, timeout, null);
    }

    CommandResult check(String what, List<String> command, Duration limit, Path workingDirectory) {
        CommandResult result = run(what, command, limit, workingDirectory);
        if (!result.succeeded()) {
            throw failure(what, result);
        }
        return result;
    }

    static HypervisorException failure(String what, CommandResult result) {
        CommandFailedException cause = new CommandFailedException(result.command(), result.exitCode(),
                result.stdout(), result.stderr(), null);
        return new HypervisorException(what + ": " + cause.getMessage(), cause);
    }

    Duration timeout() {
        return timeout;
    }
}
