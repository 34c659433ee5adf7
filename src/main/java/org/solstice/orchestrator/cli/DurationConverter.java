package org.solstice.orchestrator.cli;

import java.time.Duration;
import org.solstice.orchestrator.config.Sizes;
import picocli.CommandLine.ITypeConverter;

/** Reads "90s", "30m", "2h", "500ms" or plain seconds. */
public class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return Sizes.duration(value);
    }
}
