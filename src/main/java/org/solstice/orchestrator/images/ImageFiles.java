package org.solstice.orchestrator.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The files that belong to one image, all in local_path's directory so renames between them are atomic:
 * the image, its sidecar record, the resumable partial download with its validator, the lock file and
 * temporary files.
 */
public record ImageFiles(Path image) {

    public ImageFiles {
        image = image.toAbsolutePath().normalize();
    }

    /** Facts about the prepared image: {@code <local_path>.solstice.json}. */
    public Path sidecar() {
        return sibling(".solstice.json");
    }

    /** The partial compressed download kept for resuming: {@code <local_path>.part}. */
    public Path part() {
        return sibling(".part");
    }

    /** What the partial download was fetched from (URL, ETag, Last-Modified): {@code <local_path>.part.json}. */
    public Path partRecord() {
        return sibling(".part.json");
    }

    /** Locked while a process prepares the image; never deleted (deleting a lock file races). */
    public Path lock() {
        return sibling(".lock");
    }

    public Path directory() {
        return image.getParent();
    }

    /** A new empty temporary file next to the image, readable by the hypervisor's user once renamed. */
    public Path newTemp(String what) throws IOException {
        Path temp = Files.createTempFile(directory(), "." + image.getFileName() + "." + what + "-", ".tmp");
        try {
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep the default permissions
        }
        return temp;
    }

    /** True for temporary files {@link #newTemp} makes for this image (tests and clean-up look for them). */
    public boolean isTemp(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith("." + image.getFileName() + ".") && name.endsWith(".tmp");
    }

    private Path sibling(String suffix) {
        return image.resolveSibling(image.getFileName() + suffix);
    }
}
