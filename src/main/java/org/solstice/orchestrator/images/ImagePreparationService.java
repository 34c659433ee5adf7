package org.solstice.orchestrator.images;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.config.ImageDefinition;
import org.solstice.orchestrator.config.ImageMap;

/**
 * The daemon's {@link ImageCatalog}: prepares images in the background, at most
 * {@link PreparationOptions#parallelism()} at once, each once per definition. {@link #whenReady} completes with
 * local_path when the image is ready, or exceptionally with {@link ImageUnavailableException} when it failed for
 * good (all attempts used, or an error retrying can't fix); that failure is kept, so later jobs for the image fail
 * at once with the same reason. A changed definition (new source or checksum) is a new preparation;
 * {@link #prepareAgain} makes one for the same definition.
 */
public final class ImagePreparationService implements ImageCatalog {
    private static final Logger log = LoggerFactory.getLogger(ImagePreparationService.class);

    private final ImagePreparer preparer;
    private final ImagePreparationListener listener;
    private final ExecutorService executor;
    private final Map<ImageDefinition, CompletableFuture<Path>> preparations = new ConcurrentHashMap<>();

    public ImagePreparationService(ImagePreparer preparer, ImagePreparationListener listener) {
        this.preparer = preparer;
        this.listener = listener;
        int threads = preparer.options().parallelism();
        AtomicInteger counter = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread thread = new Thread(task, "image-prep-" + counter.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** A service with progress lines in the log, plus the given listener (e.g. metrics). */
    public static ImagePreparationService withLogging(PreparationOptions options, ImagePreparationListener extra) {
        return new ImagePreparationService(new ImagePreparer(options),
                ImagePreparationListener.all(List.of(new LoggingPreparationListener(), extra)));
    }

    @Override
    public CompletableFuture<Path> whenReady(ImageDefinition image) {
        return preparations.computeIfAbsent(image, definition -> submit(definition, false)).copy();
    }

    /**
     * Prepares the image again from its source even though it is ready (e.g. its source changed behind the same
     * URL): jobs asking for it from now on wait for this preparation, as for any other, and its failure is kept
     * like any other. Returns at once.
     *
     * @throws IllegalStateException while the image is being prepared already
     */
    public CompletableFuture<Path> prepareAgain(ImageDefinition image) {
        return preparations.compute(image, (definition, current) -> {
            if (current != null && !current.isDone()) {
                throw new IllegalStateException("image " + image.name() + " is being prepared already");
            }
            return submit(definition, true);
        }).copy();
    }

    /** Starts preparing every image of the map in the background; returns at once. */
    public void prepareInBackground(ImageMap map) {
        map.images().values().forEach(this::whenReady);
    }

    /**
     * Prepares every image of the map and waits (the daemon's "fail at start-up" option).
     *
     * @throws ImageUnavailableException naming every image that cannot be prepared and why
     */
    public void prepareAll(ImageMap map) {
        List<String> failedImages = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (ImageDefinition image : map.images().values()) {
            try {
                whenReady(image).join();
            } catch (CompletionException e) {
                failedImages.add(image.name());
                reasons.add(e.getCause() == null ? e.toString() : e.getCause().getMessage());
            }
        }
        if (!failedImages.isEmpty()) {
            throw new ImageUnavailableException(String.join(", ", failedImages), failedImages.size() + " of "
                    + map.images().size() + " images cannot be prepared: " + String.join("; ", reasons));
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("image preparation threads did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        preparations.forEach((image, future) -> future.completeExceptionally(
                new ImageUnavailableException(image.name(), "image preparation was shut down")));
    }

    private CompletableFuture<Path> submit(ImageDefinition image, boolean again) {
        CompletableFuture<Path> future = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                if (again) {
                    preparer.prepareAgain(image, listener);
                } else {
                    preparer.prepare(image, listener);
                }
                future.complete(image.localPath());
            } catch (ImageUnavailableException e) {
                future.completeExceptionally(e);
            } catch (RuntimeException | Error e) {
                log.error("image {}: preparation failed unexpectedly", image.name(), e);
                future.completeExceptionally(new ImageUnavailableException(image.name(),
                        "preparation failed unexpectedly: " + e, e));
            }
        });
        return future;
    }
}
