package org.solstice.orchestrator.images;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.config.ImageDefinition;

/**
 * Makes one image ready at its local_path: under the image's lock, fetches the source (resuming a partial
 * download), decodes and verifies it, renames it into place and writes the sidecar, retrying with backoff a
 * bounded number of times. Blocking; {@link ImagePreparationService} runs it in the background.
 */
public final class ImagePreparer {
    private static final Logger log = LoggerFactory.getLogger(ImagePreparer.class);

    private final PreparationOptions options;
    private final Map<String, ImageSource> sources;

    public ImagePreparer(PreparationOptions options) {
        this.options = options;
        ImageSource http = new HttpImageSource(options.connectTimeout(), options.stallTimeout());
        this.sources = Map.of("http", http, "https", http, "file", new FileImageSource());
    }

    public PreparationOptions options() {
        return options;
    }

    /**
     * Prepares the image unless it is ready.
     *
     * @throws ImageUnavailableException when it cannot be prepared; the message names the URL and the last error
     */
    public PreparationOutcome prepare(ImageDefinition image, ImagePreparationListener listener) {
        return prepare(image, listener, false);
    }

    /**
     * Fetches and verifies the image again even though it is ready (its source may have changed behind the same
     * URL); the file in place is replaced only once the new one is verified.
     *
     * @throws ImageUnavailableException when it cannot be prepared; the message names the URL and the last error
     */
    public PreparationOutcome prepareAgain(ImageDefinition image, ImagePreparationListener listener) {
        return prepare(image, listener, true);
    }

    private PreparationOutcome prepare(ImageDefinition image, ImagePreparationListener listener, boolean again) {
        long start = System.nanoTime();
        ImageOnDisk onDisk = ImageOnDisk.of(image);
        if (onDisk.ready() && !again) {
            return alreadyReady(image, listener, start, onDisk);
        }
        ImageFiles files = new ImageFiles(image.localPath());
        try {
            Files.createDirectories(files.directory());
            try (ImageLock lock = ImageLock.acquire(files, () -> log.info("image {}: being prepared by another "
                    + "process or thread ({} is locked); waiting for it", image.name(), files.lock()))) {
                onDisk = ImageOnDisk.of(image);
                if (again) {
                    log.info("image {}: preparing it again from {} as asked ({} is {})", image.name(),
                            image.source(), files.image(), onDisk.state().label());
                } else if (onDisk.ready()) {
                    return alreadyReady(image, listener, start, onDisk);
                } else if (onDisk.state() == ImageState.STALE && onDisk.record().isEmpty() && image.sha256() != null
                        && adopt(image, files)) {
                    return alreadyReady(image, listener, start, ImageOnDisk.of(image));
                } else if (onDisk.state() == ImageState.STALE) {
                    log.info("image {}: {} was prepared from another source or checksum ({}); fetching {} again",
                            image.name(), files.image(), onDisk.record().map(ImageRecord::source)
                                    .orElse("no sidecar"), image.source());
                }
                deleteLeftoverTemps(image, files);
                return fetchWithRetries(image, files, listener, start);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(image, listener, start, 0, 0, "interrupted while waiting for another preparation");
        } catch (IOException e) {
            throw failed(image, listener, start, 0, 0, "cannot use " + files.directory() + ": " + e);
        }
    }

    private PreparationOutcome fetchWithRetries(ImageDefinition image, ImageFiles files,
                                                ImagePreparationListener listener, long start) {
        ImageSource source = sources.get(image.source().getScheme().toLowerCase(java.util.Locale.ROOT));
        long downloaded = 0;
        for (int attempt = 1; ; attempt++) {
            listener.started(image, attempt);
            log.info("image {}: fetching {} (attempt {} of {})", image.name(), image.source(), attempt,
                    options.maxAttempts());
            ProgressReporter progress = new ProgressReporter(image, listener, options.progressInterval());
            FetchAttempt fetch = new FetchAttempt(image, files, source, options, progress);
            try {
                FetchAttempt.Fetched fetched = fetch.run();
                downloaded += fetch.bytesDownloaded();
                progress.flush();
                install(image, files, fetched);
                PreparationOutcome outcome = new PreparationOutcome(PreparationOutcome.Result.PREPARED, downloaded,
                        fetched.size(), fetched.sha256(), since(start), attempt, null);
                log.info("image {}: ready at {} ({} bytes, sha256 {}, {} bytes downloaded in {} ms)", image.name(),
                        files.image(), fetched.size(), fetched.sha256(), downloaded, outcome.duration().toMillis());
                listener.finished(image, outcome);
                return outcome;
            } catch (ImageFetchException e) {
                downloaded += fetch.bytesDownloaded();
                if (!e.retryable() || attempt >= options.maxAttempts()) {
                    String why = e.retryable() ? "gave up after " + attempt + " attempt" + (attempt == 1 ? "" : "s")
                            : "not retried";
                    throw failed(image, listener, start, downloaded, attempt, e.detail() + " (" + why + ")");
                }
                Duration wait = options.backoffBefore(attempt + 1);
                log.warn("image {}: attempt {} of {} failed: {}; retrying in {} ms", image.name(), attempt,
                        options.maxAttempts(), e.detail(), wait.toMillis());
                listener.retrying(image, attempt + 1, wait, e);
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw failed(image, listener, start, downloaded, attempt, e.detail() + " (interrupted)");
                }
            } catch (IOException e) {
                throw failed(image, listener, start, downloaded, attempt, "cannot put the image in place at "
                        + files.image() + ": " + e);
            }
        }
    }

    /**
     * Renames the verified file over local_path, then writes the sidecar. In between, the new image sits with the
     * old sidecar, which does not match the map: a crash there means a new fetch, never a wrong image in use.
     */
    private static void install(ImageDefinition image, ImageFiles files, FetchAttempt.Fetched fetched)
            throws IOException {
        AtomicFiles.moveIntoPlace(fetched.file(), files.image());
        new ImageRecord(image.source().toString(), image.decompress(), fetched.sha256(), fetched.size(),
                Instant.now().toString()).write(files);
        Files.deleteIfExists(files.part());
        Files.deleteIfExists(files.partRecord());
    }

    /**
     * An image put at local_path by hand has no sidecar. When the map pins its sha256 and the file has it, the
     * file is the image the map asks for: record it instead of downloading it again.
     */
    private static boolean adopt(ImageDefinition image, ImageFiles files) throws IOException {
        log.info("image {}: {} has no sidecar; checking it against the map's sha256", image.name(), files.image());
        ImageWriter.Written written;
        try (var in = Files.newInputStream(files.image())) {
            written = ImageWriter.write(in, org.solstice.orchestrator.config.Decompression.NONE, null, image.name());
        }
        if (!written.sha256().equalsIgnoreCase(image.sha256())) {
            log.info("image {}: {} has sha256 {}, not the map's {}; fetching {}", image.name(), files.image(),
                    written.sha256(), image.sha256(), image.source());
            return false;
        }
        new ImageRecord(image.source().toString(), image.decompress(), written.sha256(), written.size(),
                Instant.now().toString()).write(files);
        log.info("image {}: {} matches the map's sha256; adopted without downloading", image.name(), files.image());
        return true;
    }

    private static PreparationOutcome alreadyReady(ImageDefinition image, ImagePreparationListener listener,
                                                   long start, ImageOnDisk onDisk) {
        ImageRecord record = onDisk.record().orElseThrow();
        PreparationOutcome outcome = new PreparationOutcome(PreparationOutcome.Result.ALREADY_READY, 0,
                record.size(), record.sha256(), since(start), 0, null);
        log.debug("image {}: already ready at {}", image.name(), image.localPath());
        listener.finished(image, outcome);
        return outcome;
    }

    private static ImageUnavailableException failed(ImageDefinition image, ImagePreparationListener listener,
                                                    long start, long downloaded, int attempts, String why) {
        log.error("image {}: cannot be prepared: {}", image.name(), why);
        listener.finished(image, new PreparationOutcome(PreparationOutcome.Result.FAILED, downloaded, -1, null,
                since(start), attempts, why));
        return new ImageUnavailableException(image.name(), why);
    }

    /** Temp files of a process that died while preparing; safe to delete because we hold the lock. */
    private static void deleteLeftoverTemps(ImageDefinition image, ImageFiles files) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(files.directory(), files::isTemp)) {
            for (Path leftover : entries) {
                log.info("image {}: deleting {} left by an interrupted preparation", image.name(), leftover);
                Files.deleteIfExists(leftover);
            }
        }
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
