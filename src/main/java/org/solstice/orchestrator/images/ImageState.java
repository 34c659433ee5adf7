package org.solstice.orchestrator.images;

import java.util.Locale;

/** Where an image stands on disk (read by {@link ImageOnDisk}), as {@code images list} shows it. */
public enum ImageState {
    /** local_path exists and its sidecar matches the image map: jobs can use it. */
    READY,
    /** local_path exists but was prepared from another source or checksum, or has no sidecar. */
    STALE,
    /** No usable image, but a partial download is kept for resuming. */
    PARTIAL,
    /** Nothing on disk yet. */
    MISSING;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
