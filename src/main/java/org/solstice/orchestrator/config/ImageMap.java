package org.solstice.orchestrator.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The validated image map: labels (image names and aliases) resolving to images. Built by
 * {@link ImageMapLoader}, which guarantees aliases are acyclic and every label resolves.
 */
public record ImageMap(
        Path file,
        String defaultLabel,
        Map<String, String> aliases,
        Map<String, SizePreset> sizes,
        Map<String, ImageDefinition> images) {

    public ImageMap {
        aliases = Map.copyOf(aliases);
        sizes = Map.copyOf(sizes);
        images = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(images));
    }

    /** The image a label resolves to: null or blank means the default label. Empty when nothing matches. */
    public Optional<ImageDefinition> resolve(String label) {
        String current = label == null || label.isBlank() ? defaultLabel : label;
        for (int hops = 0; hops <= aliases.size(); hops++) {
            ImageDefinition image = images.get(current);
            if (image != null) {
                return Optional.of(image);
            }
            current = aliases.get(current);
            if (current == null) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The backends the images ask for by name (an image without one runs on the host's default backend). */
    public Set<String> backends() {
        Set<String> backends = new LinkedHashSet<>();
        for (ImageDefinition image : images.values()) {
            if (image.backend() != null) {
                backends.add(image.backend());
            }
        }
        return backends;
    }

    /** Every label this map serves: image names and aliases, in a stable order. */
    public List<String> labels() {
        Set<String> labels = new LinkedHashSet<>(images.keySet());
        List<String> aliasNames = new ArrayList<>(aliases.keySet());
        aliasNames.sort(null);
        labels.addAll(aliasNames);
        return List.copyOf(labels);
    }

    /** The chain of aliases from a label to its image name, e.g. [illumos-latest, openindiana-hipster]. */
    public List<String> chain(String label) {
        List<String> chain = new ArrayList<>();
        String current = label;
        while (current != null && chain.size() <= aliases.size() + 1) {
            chain.add(current);
            if (images.containsKey(current)) {
                break;
            }
            current = aliases.get(current);
        }
        return chain;
    }
}
