package org.solstice.orchestrator.images;

import org.solstice.orchestrator.OrchestratorException;

/** An image could not be prepared; the message names the image and what went wrong. */
public class ImageUnavailableException extends OrchestratorException {
    private final String image;

    public ImageUnavailableException(String image, String problem) {
        super("image " + image + " is not available: " + problem);
        this.image = image;
    }

    public ImageUnavailableException(String image, String problem, Throwable cause) {
        super("image " + image + " is not available: " + problem, cause);
        this.image = image;
    }

    public String image() {
        return image;
    }
}
