package org.solstice.orchestrator.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code orchestrator}: runs the daemon; subcommands for operators. */
@Command(name = "orchestrator", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        defaultValueProvider = BackendDefaults.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Solstice CI orchestrator: consumes job requests from RabbitMQ and runs each job in a fresh VM.",
            "Without a subcommand it runs the daemon. Every option also reads the environment variable named"
                    + " in its description."
        },
        subcommands = {RunCommand.class, EnqueueCommand.class, ValidateConfigCommand.class, JobsCommand.class,
            ImagesCommand.class, StatusCommand.class, LogsCommand.class,
            CommandLine.HelpCommand.class})
public class OrchestratorCommand implements Callable<Integer> {
    @Mixin
    DaemonOptions options = new DaemonOptions();

    @Override
    public Integer call() {
        return DaemonLauncher.run(options.toConfig());
    }

    /** Builds the command line with the project's error handling. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new OrchestratorCommand());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            commandLine.getErr().println(commandLine.getColorScheme().errorText("error: " + message));
            return e instanceof IllegalArgumentException ? 2 : 1;
        });
        return cli;
    }

    public static int execute(String... args) {
        return commandLine().execute(args);
    }
}
