package org.solstice.orchestrator.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code orchestrator images pull|list}: prepare and inspect the image map's cloud images. */
@Command(name = "images", mixinStandardHelpOptions = true,
        description = "Prepare and inspect the cloud images of the image map.",
        subcommands = {ImagesPullCommand.class, ImagesListCommand.class})
public final class ImagesCommand implements Runnable {
    /** Default of {@code --config}: the environment's ORCH_CONFIG, else the example map. */
    static final String CONFIG_DEFAULT = "${env:ORCH_CONFIG:-examples/orchestrator-image-map.yaml}";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: pull or list");
    }
}
