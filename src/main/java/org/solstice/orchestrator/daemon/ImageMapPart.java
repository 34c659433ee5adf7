package org.solstice.orchestrator.daemon;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.solstice.orchestrator.config.CapacityMap;
import org.solstice.orchestrator.config.ImageMap;
import org.solstice.orchestrator.config.ImageMapLoader;

/** The image map and the capacity map, loaded and checked first: every other part serves their labels. */
final class ImageMapPart implements Part {
    private final DaemonConfig config;
    private volatile ImageMap images;
    private volatile CapacityMap capacities;

    ImageMapPart(DaemonConfig config) {
        this.config = config;
    }

    @Override
    public void start() {
        ImageMap loaded = ImageMapLoader.load(config.imageMapFile());
        capacities = CapacityMap.parse(config.capacityMap(), loaded);
        images = loaded;
    }

    @Override
    public void stop() {
    }

    boolean loaded() {
        return images != null;
    }

    ImageMap images() {
        return images;
    }

    CapacityMap capacities() {
        return capacities;
    }

    /** The labels served here; none before the map is loaded. */
    List<String> labels() {
        return loaded() ? images.labels() : List.of();
    }

    int capacityOf(String image) {
        return capacities.capacityOf(image).orElse(Integer.MAX_VALUE);
    }

    /**
     * One consumer per label served here; each holds at most as many unacknowledged deliveries as the label's
     * image may run at once (and never more than the prefetch).
     */
    Map<String, Integer> prefetchByLabel() {
        Map<String, Integer> prefetch = new LinkedHashMap<>();
        for (String label : images.labels()) {
            images.resolve(label).ifPresent(image -> prefetch.put(label, Math.min(config.amqp().prefetch(),
                    capacityOf(image.name()))));
        }
        return prefetch;
    }
}
