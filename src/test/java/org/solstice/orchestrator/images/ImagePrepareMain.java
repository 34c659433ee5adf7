package org.solstice.orchestrator.images;

import java.net.URI;
import java.nio.file.Path;
import org.solstice.orchestrator.config.Decompression;
import org.solstice.orchestrator.config.ImageDefinition;

/**
 * Prepares one image in its own JVM, for the two-process locking test.
 * Arguments: NAME URL LOCAL_PATH DECOMPRESS SHA256. Prints "OUTCOME &lt;result&gt;"; exit status 1 on failure.
 */
public final class ImagePrepareMain {
    private ImagePrepareMain() {
    }

    public static void main(String[] args) {
        ImageDefinition image = TestImages.image(args[0], URI.create(args[1]), Path.of(args[2]),
                Decompression.valueOf(args[3]), args[4]);
        try {
            PreparationOutcome outcome = new ImagePreparer(PreparationOptions.defaults())
                    .prepare(image, ImagePreparationListener.none());
            System.out.println("OUTCOME " + outcome.result());
            System.exit(0);
        } catch (ImageUnavailableException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }
}
