package org.solstice.orchestrator.cli;

import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.solstice.orchestrator.ops.JobLogFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code orchestrator logs ID [--follow] [--console]}: prints a job's log from the state directory (the job's own
 * output when its guest used the job channel, else its console), or with {@code --console} its guest console.
 */
@Command(name = "logs", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Print a job's log: the live console while the job runs, else the kept log (the job's own"
                + " output when the guest wrote it to the job channel).")
public class LogsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "${env:STATE_DIR:-/var/lib/solstice-orchestrator}",
            description = "The daemon's state directory (env STATE_DIR; default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = {"-f", "--follow"}, description = "Keep printing until the job ends (waits for a job that has"
            + " not started yet).")
    boolean follow;

    @Option(names = "--console", description = "Print the guest's console (boot messages) instead of the job's"
            + " output, for a job whose guest wrote its output to the job channel.")
    boolean console;

    @Parameters(paramLabel = "REQUEST_ID", description = "The job's request_id.")
    UUID id;

    @Override
    public Integer call() throws Exception {
        JobLogFile log = console ? JobLogFile.console(stateDir, id) : new JobLogFile(stateDir, id);
        if (follow && !log.exists()) {
            spec.commandLine().getErr().println("waiting for job " + id + " to start (Ctrl-C to stop)");
        }
        if (!log.copyTo(System.out, follow)) { // bytes as the guest wrote them
            spec.commandLine().getErr().println("no log for job " + id + " under " + stateDir
                    + " (not run here, not started yet, or deleted by --log-retention)");
            return 1;
        }
        return 0;
    }
}
