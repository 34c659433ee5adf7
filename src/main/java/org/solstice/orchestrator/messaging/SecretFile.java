package org.solstice.orchestrator.messaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.OrchestratorException;

/**
 * A password kept in a file (a systemd credential, a mounted secret): the contents without the trailing newline.
 * A file that others than its owner may read is used, with a warning, as ssh does for keys.
 */
public final class SecretFile {
    private static final Logger log = LoggerFactory.getLogger(SecretFile.class);

    private SecretFile() {
    }

    /**
     * @param option the option that named the file, for messages
     * @throws OrchestratorException naming the file when it cannot be read or is empty
     */
    public static String read(Path file, String option) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OrchestratorException("cannot read the password file " + file + " (" + option + "): "
                    + BrokerConnector.rootMessage(e), e);
        }
        if (content.endsWith("\n")) {
            content = content.substring(0, content.length() - 1);
        }
        if (content.endsWith("\r")) {
            content = content.substring(0, content.length() - 1);
        }
        if (content.isEmpty()) {
            throw new OrchestratorException("the password file " + file + " (" + option + ") is empty");
        }
        warnIfOthersMayRead(file, option);
        return content;
    }

    private static void warnIfOthersMayRead(Path file, String option) {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException | IOException e) {
            return; // not a POSIX file system: nothing to say
        }
        if (permissions.contains(PosixFilePermission.GROUP_READ)
                || permissions.contains(PosixFilePermission.OTHERS_READ)) {
            log.warn("the password file {} ({}) may be read by {}; make it readable by its owner only"
                            + " (chmod 600 {})", file, option,
                    permissions.contains(PosixFilePermission.OTHERS_READ) ? "every user" : "its group", file);
        }
    }
}
