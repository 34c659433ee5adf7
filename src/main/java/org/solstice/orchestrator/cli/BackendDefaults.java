package org.solstice.orchestrator.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.solstice.orchestrator.hypervisor.Backends;
import org.solstice.orchestrator.hypervisor.HypervisorProvider;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Defaults of the backend options ({@code --<backend>-<key>}, e.g. {@code --zones-root}) come from the backend's
 * provider, the one place they are written; the option's environment variable still wins, and the help shows the
 * backend's default.
 */
public final class BackendDefaults implements IDefaultValueProvider {
    private static final Pattern ENV_ONLY = Pattern.compile("\\$\\{env:([A-Z0-9_]+)}");

    private final Backends backends = Backends.discover();

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)) {
            return null;
        }
        for (HypervisorProvider provider : backends.providers()) {
            String prefix = "--" + provider.name() + "-";
            if (option.longestName().startsWith(prefix)) {
                String backendDefault = provider.defaults().get(option.longestName().substring(prefix.length()));
                String fromEnvironment = environment(option);
                return fromEnvironment != null ? fromEnvironment : backendDefault;
            }
        }
        return null;
    }

    /**
     * The value of the environment variable the option's annotation reads ({@code ${env:NAME}}), if set (picocli
     * may hand over the annotation as written or already resolved).
     */
    private static String environment(OptionSpec option) {
        String annotated = option.defaultValue();
        if (annotated == null || annotated.isEmpty()) {
            return null;
        }
        Matcher m = ENV_ONLY.matcher(annotated);
        if (!m.matches()) {
            return annotated;
        }
        String value = System.getenv(m.group(1));
        return value == null || value.isEmpty() ? null : value;
    }
}
