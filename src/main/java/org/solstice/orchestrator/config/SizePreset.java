package org.solstice.orchestrator.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** A named resource preset images can refer to with {@code size:}. */
public record SizePreset(String name, int cpus, long memoryMiB) {

    /** small 1 CPU/1 GiB, medium 2/2, large 4/4: overridable and extendable under {@code sizes:}. */
    public static Map<String, SizePreset> defaults() {
        Map<String, SizePreset> presets = new LinkedHashMap<>();
        presets.put("small", new SizePreset("small", 1, 1024));
        presets.put("medium", new SizePreset("medium", 2, 2048));
        presets.put("large", new SizePreset("large", 4, 4096));
        return presets;
    }
}
