package org.solstice.orchestrator.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.solstice.orchestrator.guest.ExitMarker;

/**
 * The job's exit-report token, kept in its job directory (owner-only) next to the console log, so a daemon that
 * restarts and adopts the running VM can still tell the bootstrap's report from a job's imitation.
 */
final class ExitTokenFile {
    static final String NAME = "exit-token";

    private ExitTokenFile() {
    }

    static void write(Path jobDir, String token) throws IOException {
        Path file = jobDir.resolve(NAME);
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, token + "\n", StandardCharsets.US_ASCII);
    }

    /** The stored token, or null when there is none (or it is not a token). */
    static String read(Path jobDir) {
        try {
            String token = Files.readString(jobDir.resolve(NAME), StandardCharsets.US_ASCII).strip();
            return ExitMarker.isToken(token) ? token : null;
        } catch (IOException e) {
            return null;
        }
    }
}
