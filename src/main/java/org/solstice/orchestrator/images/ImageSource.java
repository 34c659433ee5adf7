package org.solstice.orchestrator.images;

import java.io.InputStream;
import org.solstice.orchestrator.config.ImageDefinition;

/** Opens an image's source URL. One implementation per URL scheme. */
interface ImageSource {

    /**
     * Opens the source. With a {@code resume} record and {@code offset > 0} it asks for the bytes from
     * {@code offset} on; the answer's {@link OpenedSource#offset()} says where the body really starts (0 when
     * the source sent everything).
     *
     * @throws ImageFetchException naming the image, the URL and the server's answer or the I/O error
     */
    OpenedSource open(ImageDefinition image, long offset, PartRecord resume);

    /**
     * An open source.
     *
     * @param body        the bytes, from {@code offset} on
     * @param offset      where in the source the body starts
     * @param totalLength the source's full length, or -1 when unknown
     * @param validator   what identifies this version of the source for a later resume, or null when it can't
     *                    be resumed (then nothing is kept on disk between attempts)
     * @param answer      what the source said, e.g. {@code HTTP/1.1 206 Partial Content}
     */
    record OpenedSource(InputStream body, long offset, long totalLength, PartRecord validator, String answer) {
    }
}
