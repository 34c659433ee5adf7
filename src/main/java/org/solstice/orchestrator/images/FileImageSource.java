package org.solstice.orchestrator.images;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.solstice.orchestrator.config.ImageDefinition;

/** {@code file:} URLs: read in place, never resumed (there is nothing to resume). */
final class FileImageSource implements ImageSource {

    @Override
    public OpenedSource open(ImageDefinition image, long offset, PartRecord resume) {
        String url = image.source().toString();
        try {
            Path path = Path.of(image.source());
            long size = Files.size(path);
            InputStream in = Files.newInputStream(path);
            return new OpenedSource(in, 0, size, null, "file of " + size + " bytes");
        } catch (NoSuchFileException e) {
            throw ImageFetchException.permanent(image.name(), url, "file does not exist", e);
        } catch (IOException | IllegalArgumentException e) {
            throw ImageFetchException.permanent(image.name(), url, "cannot read: " + e, e);
        }
    }
}
