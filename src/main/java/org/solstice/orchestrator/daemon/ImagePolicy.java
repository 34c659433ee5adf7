package org.solstice.orchestrator.daemon;

import java.util.concurrent.CompletableFuture;
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

    ImageCatalog catalog() {
        return catalog;
    }
}
