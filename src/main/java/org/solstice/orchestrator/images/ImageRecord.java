package org.solstice.orchestrator.images;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.solstice.orchestrator.config.Decompression;
import org.solstice.orchestrator.config.ImageDefinition;

/**
 * The sidecar next to a prepared image ({@code <local_path>.solstice.json}): where the image came from and what
 * it is. An image is only ready when its sidecar matches the image map's current definition, so a changed
 * {@code source}, {@code decompress} or {@code sha256} prepares the image again instead of keeping the old one.
 *
 * @param source     the URL the image was prepared from
 * @param decompress how the source was decoded
 * @param sha256     SHA-256 of the image as written (the decompressed bytes), lower-case hex
 * @param size       size of the image in bytes
 * @param preparedAt when the image was renamed into place (ISO-8601 instant)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageRecord(String source, Decompression decompress, String sha256, long size, String preparedAt) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Whether an image with this record is the one the definition asks for. */
    public boolean matches(ImageDefinition image) {
        return source.equals(image.source().toString())
                && decompress == image.decompress()
                && (image.sha256() == null || sha256.equalsIgnoreCase(image.sha256()));
    }

    public static Optional<ImageRecord> read(Path file) {
        try {
            return Optional.of(JSON.readValue(Files.readAllBytes(file), ImageRecord.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // unreadable or from a future version: treated as absent, so the image is stale
        }
    }

    /** Writes the record atomically (temp file, fsync, rename). */
    public void write(ImageFiles files) throws IOException {
        AtomicFiles.writeAtomically(files, files.sidecar(), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
    }
}
