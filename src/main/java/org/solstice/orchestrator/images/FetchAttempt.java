package org.solstice.orchestrator.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.channels.Channels;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.config.Decompression;
import org.solstice.orchestrator.config.ImageDefinition;
import org.solstice.orchestrator.images.ImageSource.OpenedSource;

/**
 * One attempt to fetch an image into a verified, fsync'ed file beside local_path, ready to be renamed into place.
 * Remote sources are appended to {@code <local_path>.part} as they arrive, so a later attempt resumes; the
 * decoder reads the part's existing prefix and then the network, so the image is still written in one pass.
 * On failure nothing but a resumable part is left behind; a part is deleted when its content proved wrong.
 */
final class FetchAttempt {
    private static final Logger log = LoggerFactory.getLogger(FetchAttempt.class);

    /** A verified image file (a temp file, or the part itself for uncompressed downloads). */
    record Fetched(Path file, long size, String sha256) {
    }

    private final ImageDefinition image;
    private final ImageFiles files;
    private final ImageSource source;
    private final PreparationOptions options;
    private final ProgressReporter progress;
    private final String url;
    private long bytesDownloaded;

    FetchAttempt(ImageDefinition image, ImageFiles files, ImageSource source, PreparationOptions options,
                 ProgressReporter progress) {
        this.image = image;
        this.files = files;
        this.source = source;
        this.options = options;
        this.progress = progress;
        this.url = image.source().toString();
    }

    /** Bytes this attempt received from the source. */
    long bytesDownloaded() {
        return bytesDownloaded;
    }

    Fetched run() {
        PartRecord resume = PartRecord.read(files.partRecord())
                .filter(r -> r.source().equals(url) && r.ifRange() != null).orElse(null);
        long have = resume == null ? 0 : sizeOf(files.part());
        if (resume == null) {
            deletePart();
        }
        OpenedSource opened = source.open(image, have, resume);
        progress.start(opened.offset(), opened.totalLength());
        if (have > 0) {
            log.info("image {}: resuming {} at byte {}: server answered '{}'{}", image.name(), url, have,
                    opened.answer(), opened.offset() == 0 ? ", sending the whole file: starting over" : "");
        }
        Path temp = null;
        SourceStream body = null;
        try (InputStream ignored = opened.body()) {
            if (opened.validator() == null) {
                body = new SourceStream(opened.body(), null, 0, opened.totalLength(), options.stallTimeout(),
                        progress);
                temp = files.newTemp("image");
                return verified(temp, ImageWriter.write(body, image.decompress(), temp, image.name()), opened);
            }
            if (opened.validator().ifRange() != null) {
                opened.validator().write(files);
            } else {
                Files.deleteIfExists(files.partRecord()); // nothing to resume against: the part is only a buffer
            }
            try (FileChannel part = FileChannel.open(files.part(), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.READ)) {
                part.truncate(opened.offset());
                part.position(opened.offset());
                body = new SourceStream(opened.body(), part, opened.offset(), opened.totalLength(),
                        options.stallTimeout(), progress);
                InputStream all = opened.offset() == 0 ? body
                        : new SequenceInputStream(Channels.newInputStream(FileChannel.open(files.part())), body);
                if (image.decompress() == Decompression.NONE) {
                    ImageWriter.Written written = ImageWriter.write(all, Decompression.NONE, null, image.name());
                    part.force(true);
                    return verified(files.part(), written, opened);
                }
                temp = files.newTemp("image");
                return verified(temp, ImageWriter.write(all, image.decompress(), temp, image.name()), opened);
            }
        } catch (SourceStream.SourceReadException e) {
            deleteQuietly(temp);
            boolean resumable = opened.validator() != null && opened.validator().ifRange() != null;
            if (!resumable) {
                deletePart();
            }
            String kept = resumable ? "; partial download kept for resuming" : "";
            throw ImageFetchException.retryable(image.name(), url, e.getMessage() + " (server answered '"
                    + opened.answer() + "')" + kept, e);
        } catch (SourceStream.SpoolWriteException | HashingWriter.WriteFailedException e) {
            deleteQuietly(temp);
            if (Thread.currentThread().isInterrupted()) {
                throw ImageFetchException.retryable(image.name(), url, "interrupted (shutting down): " + e, e);
            }
            throw ImageFetchException.permanent(image.name(), url, e.getMessage(), e);
        } catch (ImageFetchException e) {
            deleteQuietly(temp);
            throw e;
        } catch (IOException e) {
            deleteQuietly(temp);
            if (e instanceof ClosedByInterruptException || Thread.currentThread().isInterrupted()) {
                throw ImageFetchException.retryable(image.name(), url, "interrupted (shutting down): " + e, e);
            }
            deletePart();
            String what = image.decompress() == Decompression.ZSTD ? "cannot decompress (zstd)" : "cannot read";
            throw ImageFetchException.permanent(image.name(), url, what + " after " + (body == null ? 0
                    : body.position()) + " bytes of source: " + e.getMessage() + " (server answered '"
                    + opened.answer() + "')", e);
        } finally {
            if (body != null) {
                bytesDownloaded = body.position() - opened.offset();
            }
        }
    }

    private Fetched verified(Path file, ImageWriter.Written written, OpenedSource opened) {
        String expected = image.sha256();
        if (expected != null && !expected.equalsIgnoreCase(written.sha256())) {
            deleteQuietly(file);
            deletePart();
            throw ImageFetchException.permanent(image.name(), url, "SHA-256 of the "
                    + (image.decompress() == Decompression.ZSTD ? "decompressed " : "") + "image ("
                    + written.size() + " bytes) is " + written.sha256() + " but the image map expects "
                    + expected.toLowerCase() + " (server answered '" + opened.answer() + "')", null);
        }
        return new Fetched(file, written.size(), written.sha256());
    }

    private void deletePart() {
        deleteQuietly(files.part());
        deleteQuietly(files.partRecord());
    }

    private void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("image {}: cannot delete {}: {}", image.name(), file, e.toString());
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
