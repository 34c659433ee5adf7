package org.solstice.orchestrator.images;

import java.time.Duration;
import java.util.List;
import org.solstice.orchestrator.config.ImageDefinition;

/**
 * Hears what image preparation does, for progress displays and metrics. Called on the preparing thread; keep it
 * quick and don't throw.
 */
public interface ImagePreparationListener {

    /** Preparation of an image that is not ready begins (after the lock is held). */
    default void started(ImageDefinition image, int attempt) {
    }

    /**
     * Bytes of the source on disk so far, including a resumed part; called at most once per progress interval.
     *
     * @param total the source's length, or -1 when unknown
     */
    default void progress(ImageDefinition image, long position, long total) {
    }

    /** An attempt failed and another follows after {@code wait}. */
    default void retrying(ImageDefinition image, int nextAttempt, Duration wait, ImageFetchException cause) {
    }

    /** The image is ready or failed for good. */
    default void finished(ImageDefinition image, PreparationOutcome outcome) {
    }

    static ImagePreparationListener none() {
        return new ImagePreparationListener() {
        };
    }

    static ImagePreparationListener all(List<ImagePreparationListener> listeners) {
        List<ImagePreparationListener> copy = List.copyOf(listeners);
        return new ImagePreparationListener() {
            @Override
            public void started(ImageDefinition image, int attempt) {
                copy.forEach(l -> l.started(image, attempt));
            }

            @Override
            public void progress(ImageDefinition image, long position, long total) {
                copy.forEach(l -> l.progress(image, position, total));
            }

            @Override
            public void retrying(ImageDefinition image, int nextAttempt, Duration wait, ImageFetchException cause) {
                copy.forEach(l -> l.retrying(image, nextAttempt, wait, cause));
            }

            @Override
            public void finished(ImageDefinition image, PreparationOutcome outcome) {
                copy.forEach(l -> l.finished(image, outcome));
            }
        };
    }
}
