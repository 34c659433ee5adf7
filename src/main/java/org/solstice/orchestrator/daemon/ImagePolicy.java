package org.solstice.orchestrator.daemon;

import java.util.concurrent.CompletableFuture;
import org.solstice.orchestrator.config.ImageDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.config.ImageMap;
import org.solstice.orchestrator.images.ImageCatalog;
import org.solstice.orchestrator.images.ImagePreparationService;
import org.solstice.orchestrator.images.PreparationOptions;

/**
 * When images are prepared: in the background (jobs for an image wait for it), or all before consuming with
 * --fail-on-image-error. Backends that boot no image (noop) need none at all.
 */
final class ImagePolicy implements Part {
    private static final Logger log = LoggerFactory.getLogger(ImagePolicy.class);

    private final DaemonConfig config;
    private final ImageMapPart map;
    private final HypervisorPart hypervisor;
    private final MetricsPart metrics;
    private volatile ImageCatalog catalog;

    ImagePolicy(DaemonConfig config, ImageMapPart map, HypervisorPart hypervisor, MetricsPart metrics) {
        this.config = config;
        this.map = map;
        this.hypervisor = hypervisor;
        this.metrics = metrics;
    }

    @Override
    public void start() {
        ImageMap images = map.images();
        if (!hypervisor.hypervisor().capabilities().usesImages()) {
            catalog = image -> CompletableFuture.completedFuture(image.localPath());
            return;
        }
        ImagePreparationService service = ImagePreparationService.withLogging(
                PreparationOptions.defaults().withParallelism(config.imageParallelism()), metrics.metrics());
        if (config.failOnImageError()) {
            log.info("preparing every image before consuming (--fail-on-image-error)");
            try {
                service.prepareAll(images);
            } catch (RuntimeException e) {
                service.close();
                throw e;
            }
        } else {
            service.prepareInBackground(images);
        }
        catalog = service;
    }

    @Override
    public void stop() {
        if (catalog != null) {
            catalog.close();
        }
    }

    /**
     * The operator's "prepare again": fetches and verifies the image (or the image a label resolves to) again.
     *
     * @return what was done, in a sentence
     * @throws IllegalArgumentException      when the image map has no such image or label
     * @throws IllegalStateException         while the image is being prepared already
     * @throws UnsupportedOperationException when this host's backends boot no image
     */
    String prepareAgain(String name) {
        if (!map.loaded()) {
            throw new IllegalStateException("this host is still starting: its image map is not loaded yet");
        }
        ImageMap images = map.images();
        ImageDefinition image = images.images().get(name);
        if (image == null) {
            image = images.resolve(name).orElseThrow(() -> new IllegalArgumentException("no such image: " + name
                    + " (this host's images: " + String.join(", ", images.images().keySet()) + ")"));
        }
        if (!(catalog instanceof ImagePreparationService service)) {
            throw new UnsupportedOperationException("this host's backends boot no image: there is nothing to"
                    + " prepare");
        }
        service.prepareAgain(image);
        log.info("image {}: preparing it again from {} (asked from the web console)", image.name(), image.source());
        return "preparing image " + image.name() + " again from " + image.source() + ": its jobs wait for it";
    }

    ImageCatalog catalog() {
        return catalog;
    }
}
