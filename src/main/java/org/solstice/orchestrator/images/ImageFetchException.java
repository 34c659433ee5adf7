package org.solstice.orchestrator.images;

import org.solstice.orchestrator.OrchestratorException;

/**
 * One attempt to fetch an image failed. The message names the image, the URL and what the server said (its
 * status line) or the I/O error. {@link #retryable()} says whether another attempt can help: connection
 * errors, stalls and 5xx answers can; a 404, a checksum mismatch or a corrupt archive cannot.
 */
public class ImageFetchException extends OrchestratorException {
    private final boolean retryable;
    private final String detail;

    private ImageFetchException(String image, String detail, boolean retryable, Throwable cause) {
        super("image " + image + ": " + detail, cause);
        this.retryable = retryable;
        this.detail = detail;
    }

    public static ImageFetchException retryable(String image, String url, String problem, Throwable cause) {
        return new ImageFetchException(image, url + ": " + problem, true, cause);
    }

    public static ImageFetchException permanent(String image, String url, String problem, Throwable cause) {
        return new ImageFetchException(image, url + ": " + problem, false, cause);
    }

    public boolean retryable() {
        return retryable;
    }

    /** The message without the image name: the URL and the problem. */
    public String detail() {
        return detail;
    }
}
