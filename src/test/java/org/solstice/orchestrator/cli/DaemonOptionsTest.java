package org.solstice.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.solstice.orchestrator.daemon.DaemonConfig;
import picocli.CommandLine;

class DaemonOptionsTest {

    @Test
    void theCommandLinesDefaultsAreTheConfigurationBuildersDefaults() {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs();
        DaemonConfig fromCli = run.options.toConfig();

        // what only the command line knows: where the map and broker are, the host name, the HTTP listener
        // (on for an operator, off for an embedded daemon) and the backends' settings (their own defaults)
        DaemonConfig builderDefaults = DaemonConfig.builder()
                .imageMapFile(fromCli.imageMapFile())
                .amqp(fromCli.amqp())
                .instanceId(fromCli.instanceId())
                .ops(fromCli.ops())
                .backendOptions(fromCli.backendOptions())
                .brokerSecurity(fromCli.brokerSecurity())
                .build();
        assertThat(fromCli).isEqualTo(builderDefaults);
    }
}
