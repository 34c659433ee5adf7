package org.solstice.orchestrator.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Per-image job limits from {@code --capacity-map label=N,...}. Labels are resolved through the image map's
 * aliases, so {@code illumos-latest=2} limits the image {@code openindiana-hipster}; two entries for one image
 * are an error.
 */
public record CapacityMap(Map<String, Integer> byImage) {

    public CapacityMap {
        byImage = Map.copyOf(byImage);
    }

    public static CapacityMap none() {
        return new CapacityMap(Map.of());
    }

    public OptionalInt capacityOf(String imageName) {
        Integer n = byImage.get(imageName);
        return n == null ? OptionalInt.empty() : OptionalInt.of(n);
    }

    public static CapacityMap parse(String text, ImageMap images) {
        Map<String, Integer> byImage = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return none();
        }
        for (String entry : text.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            if (eq <= 0 || eq == trimmed.length() - 1) {
                throw new ConfigException("--capacity-map", "entry '" + trimmed + "' must be LABEL=NUMBER");
            }
            String label = trimmed.substring(0, eq).trim();
            String number = trimmed.substring(eq + 1).trim();
            int capacity;
            try {
                capacity = Integer.parseInt(number);
            } catch (NumberFormatException e) {
                throw new ConfigException("--capacity-map", "capacity for '" + label + "' must be a whole number, was '"
                        + number + "'");
            }
            if (capacity < 1 || capacity > 10_000) {
                throw new ConfigException("--capacity-map", "capacity for '" + label
                        + "' must be between 1 and 10000, was " + capacity);
            }
            String image = images.resolve(label).map(ImageDefinition::name).orElseThrow(() ->
                    new ConfigException("--capacity-map", "label '" + label + "' is not in the image map "
                            + images.file() + " (labels: " + String.join(", ", images.labels()) + ")"));
            if (byImage.putIfAbsent(image, capacity) != null) {
                throw new ConfigException("--capacity-map", "label '" + label + "' resolves to image '" + image
                        + "', which already has a capacity");
            }
        }
        return new CapacityMap(byImage);
    }
}
