package org.solstice.orchestrator.config;

import java.nio.file.Path;
import org.solstice.orchestrator.OrchestratorException;

/** Configuration that can't be used. The message names the file, the line (1-based) and the key. */
public class ConfigException extends OrchestratorException {
    private final Path file;
    private final int line;
    private final String key;

    public ConfigException(Path file, int line, String key, String problem) {
        super(format(file, line, key, problem));
        this.file = file;
        this.line = line;
        this.key = key;
    }

    /** For configuration that comes from options rather than a file. */
    public ConfigException(String option, String problem) {
        super(option + ": " + problem);
        this.file = null;
        this.line = 0;
        this.key = option;
    }

    private static String format(Path file, int line, String key, String problem) {
        StringBuilder sb = new StringBuilder();
        sb.append(file == null ? "<config>" : file.toString());
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (key != null && !key.isEmpty()) {
            sb.append("key '").append(key).append("': ");
        }
        return sb.append(problem).toString();
    }

    public Path file() {
        return file;
    }

    public int line() {
        return line;
    }

    public String key() {
        return key;
    }
}
