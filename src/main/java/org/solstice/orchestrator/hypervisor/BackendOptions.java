package org.solstice.orchestrator.hypervisor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's settings for each backend, by backend name and key ({@code zones} / {@code link} -> {@code igb0}):
 * plain values, built by the CLI. Only what was set is here; each provider applies its own defaults for the rest.
 * Immutable.
 */
public final class BackendOptions {
    private static final BackendOptions NONE = new BackendOptions(Map.of());

    private final Map<String, Map<String, Object>> byBackend;

    private BackendOptions(Map<String, Map<String, Object>> byBackend) {
        this.byBackend = byBackend;
    }

    /** No settings: every backend runs on its defaults. */
    public static BackendOptions none() {
        return NONE;
    }

    /** These options plus {@code backend}'s {@code key} set to {@code value}; a null value leaves it unset. */
    public BackendOptions with(String backend, String key, Object value) {
        if (value == null) {
            return this;
        }
        Map<String, Map<String, Object>> copy = new LinkedHashMap<>(byBackend);
        Map<String, Object> values = new LinkedHashMap<>(copy.getOrDefault(backend, Map.of()));
        values.put(key, value);
        copy.put(backend, Collections.unmodifiableMap(values));
        return new BackendOptions(Collections.unmodifiableMap(copy));
    }

    /** One backend's settings. */
    public Settings of(String backend) {
        return new Settings(backend, byBackend.getOrDefault(backend, Map.of()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BackendOptions other && byBackend.equals(other.byBackend);
    }

    @Override
    public int hashCode() {
        return byBackend.hashCode();
    }

    @Override
    public String toString() {
        return byBackend.toString();
    }

    /** The settings of one backend, read by type; a value of the wrong type is a programming error. */
    public record Settings(String backend, Map<String, Object> values) {

        public Optional<String> string(String key) {
            return get(key, String.class).filter(s -> !s.isBlank());
        }

        public Optional<Duration> duration(String key) {
            return get(key, Duration.class);
        }

        public Optional<Path> path(String key) {
            return get(key, Path.class);
        }

        private <T> Optional<T> get(String key, Class<T> type) {
            Object value = values.get(key);
            if (value == null) {
                return Optional.empty();
            }
            if (!type.isInstance(value)) {
                throw new IllegalArgumentException(backend + " option " + key + " must be a " + type.getSimpleName()
                        + ", was " + value.getClass().getSimpleName());
            }
            return Optional.of(type.cast(value));
        }
    }
}
