package org.solstice.orchestrator.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.solstice.orchestrator.config.ImageDefinition;

/**
 * An image's state on disk, read from local_path, the sidecar and the partial download. Cheap: no hashing.
 *
 * @param size    size of the file at local_path, or of the partial download when PARTIAL, else -1
 * @param record  the sidecar, when there is one
 */
public record ImageStatus(ImageState state, long size, Optional<ImageRecord> record) {

    public static ImageStatus of(ImageDefinition image) {
        ImageFiles files = new ImageFiles(image.localPath());
        long imageSize = sizeOf(files.image());
        Optional<ImageRecord> record = ImageRecord.read(files.sidecar());
        if (imageSize >= 0) {
            boolean ready = record.filter(r -> r.matches(image) && r.size() == imageSize).isPresent();
            return new ImageStatus(ready ? ImageState.READY : ImageState.STALE, imageSize, record);
        }
        long partSize = sizeOf(files.part());
        if (partSize >= 0) {
            return new ImageStatus(ImageState.PARTIAL, partSize, Optional.empty());
        }
        return new ImageStatus(ImageState.MISSING, -1, Optional.empty());
    }

    public boolean ready() {
        return state == ImageState.READY;
    }

    private static long sizeOf(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : -1;
        } catch (IOException e) {
            return -1;
        }
    }
}
