package org.solstice.orchestrator.images;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.solstice.orchestrator.config.ImageDefinition;

/**
 * Where jobs get their image from. {@link #whenReady} completes with the prepared image's local path, or
 * exceptionally with {@link ImageUnavailableException} when the image failed permanently. Jobs wait for it
 * without holding a scheduler permit.
 */
public interface ImageCatalog extends AutoCloseable {

    CompletableFuture<Path> whenReady(ImageDefinition image);

    @Override
    default void close() {
    }

}
