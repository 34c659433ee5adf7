package org.solstice.orchestrator.images;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a partial download ({@code <local_path>.part}) was fetched from, kept next to it so a later attempt can
 * resume with {@code Range} and {@code If-Range}. A part without a record, or whose record names another URL or
 * has no validator, is not resumed.
 *
 * @param source       the URL
 * @param etag         the response's ETag, or null
 * @param lastModified the response's Last-Modified, or null
 * @param totalLength  the full length of the source, or -1 when the server did not say
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PartRecord(String source, String etag, String lastModified, long totalLength) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The If-Range value: a strong ETag if there is one, else Last-Modified; null when resuming is unsafe. */
    public String ifRange() {
        if (etag != null && !etag.startsWith("W/")) {
            return etag;
        }
        return lastModified;
    }

    public static Optional<PartRecord> read(Path file) {
        try {
            return Optional.of(JSON.readValue(Files.readAllBytes(file), PartRecord.class));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public void write(ImageFiles files) throws IOException {
        AtomicFiles.writeAtomically(files, files.partRecord(), JSON.writeValueAsBytes(this));
    }
}
