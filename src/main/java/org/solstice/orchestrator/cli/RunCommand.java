package org.solstice.orchestrator.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code orchestrator run}: the daemon, spelled out (the same as {@code orchestrator} without a subcommand). */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        defaultValueProvider = BackendDefaults.class,
        description = "Run the daemon in the foreground (the default when no subcommand is given).")
public class RunCommand implements Callable<Integer> {
    @Mixin
    DaemonOptions options = new DaemonOptions();

    @Override
    public Integer call() {
        return DaemonLauncher.run(options.toConfig());
    }
}
