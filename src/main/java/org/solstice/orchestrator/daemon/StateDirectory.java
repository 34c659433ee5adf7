package org.solstice.orchestrator.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.OrchestratorException;

/** The state directory: created, readable by QEMU, writable by us, or the daemon does not start. */
final class StateDirectory implements Part {
    private static final Logger log = LoggerFactory.getLogger(StateDirectory.class);

    private final Path dir;

    StateDirectory(Path dir) {
        this.dir = dir;
    }

    @Override
    public void start() {
        try {
            Files.createDirectories(dir.resolve("jobs"));
        } catch (IOException e) {
            throw new OrchestratorException("cannot create the state directory " + dir + ": " + e.getMessage()
                    + " (set --state-dir / STATE_DIR to a writable directory)", e);
        }
        // QEMU runs as another user (libvirt-qemu) and must reach the per-job files: directories are 0755.
        for (Path d : List.of(dir, dir.resolve("jobs"))) {
            try {
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (UnsupportedOperationException | IOException e) {
                log.debug("cannot set permissions of {}: {}", d, e.getMessage());
            }
        }
        if (!Files.isWritable(dir)) {
            throw new OrchestratorException("the state directory " + dir + " is not writable"
                    + " (set --state-dir / STATE_DIR to a writable directory)");
        }
    }

    @Override
    public void stop() {
    }
}
