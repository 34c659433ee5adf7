package org.solstice.orchestrator.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.solstice.orchestrator.config.ImageDefinition;

/**
 * What is on disk for an image: read from local_path, the sidecar and the partial download, it gives the image's
 * {@link ImageState}, its size and its sidecar. Cheap: no hashing.
 *
 * @param size    size of the file at local_path, or of the partial download when PARTIAL, else -1
 * @param record  the sidecar, when there is one
 */
public record ImageOnDisk(ImageState state, long size, Optional<ImageRecord> record) {

    public static ImageOnDisk of(ImageDefinition image) {
        ImageFiles files = new ImageFiles(image.localPath());
        long imageSize = sizeOf(files.image());
        Optional<ImageRecord> record = ImageRecord.read(files.sidecar());
        if (imageSize >= 0) {
            boolean ready = record.filter(r -> r.matches(image) && r.size() == imageSize).isPresent();
            return new ImageOnDisk(ready ? ImageState.READY : ImageState.STALE, imageSize, record);
        }
        long partSize = sizeOf(files.part());
        if (partSize >= 0) {
            return new ImageOnDisk(ImageState.PARTIAL, partSize, Optional.empty());
        }
        return new ImageOnDisk(ImageState.MISSING, -1, Optional.empty());
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
