package org.solstice.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.solstice.orchestrator.config.ImageMapLoader;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** docs/configuration.md must name every option, environment variable and image-map key the code has. */
class ConfigurationReferenceTest {
    private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Z0-9_]+)");

    static List<CommandLine> allCommands(CommandLine root) {
        List<CommandLine> all = new ArrayList<>();
        all.add(root);
        for (CommandLine sub : root.getSubcommands().values()) {
            all.addAll(allCommands(sub));
        }
        return all;
    }

    @Test
    void everyOptionAndEnvironmentVariableIsDocumented() throws Exception {
        String doc = Files.readString(Path.of("docs/configuration.md"));
        List<String> missing = new ArrayList<>();
        for (CommandLine command : allCommands(OrchestratorCommand.commandLine())) {
            for (OptionSpec option : command.getCommandSpec().options()) {
                if (option.usageHelp() || option.versionHelp()) {
                    continue;
                }
                if (!doc.contains("`" + option.longestName() + "`")) {
                    missing.add(command.getCommandName() + " " + option.longestName());
                }
                if (option.defaultValue() != null) {
                    Matcher m = ENV.matcher(option.defaultValue());
                    while (m.find()) {
                        if (!doc.contains("`" + m.group(1) + "`")) {
                            missing.add(command.getCommandName() + " " + option.longestName() + " env " + m.group(1));
                        }
                    }
                }
            }
        }
        assertThat(missing).as("options missing from docs/configuration.md").isEmpty();
    }

    @Test
    void everyImageMapKeyIsDocumented() throws Exception {
        String doc = Files.readString(Path.of("docs/configuration.md"));
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Set<String>> section : ImageMapLoader.documentedKeys().entrySet()) {
            for (String key : section.getValue()) {
                if (!doc.contains("`" + key + "`")) {
                    missing.add(section.getKey() + "." + key);
                }
            }
        }
        assertThat(missing).as("image-map keys missing from docs/configuration.md").isEmpty();
    }
}
