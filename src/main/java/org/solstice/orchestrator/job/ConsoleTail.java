package org.solstice.orchestrator.job;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.solstice.orchestrator.guest.ExitMarker;

/** Reads the end of a job's console log: the exit marker and the last lines a developer wants to see. */
public final class ConsoleTail {
    static final int READ_BYTES = 64 * 1024;

    private ConsoleTail() {
    }

    /** The last {@value #READ_BYTES} bytes of the log, or "" when there is none. */
    public static String readEnd(Path log) {
        if (!Files.isRegularFile(log)) {
            return "";
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            long from = Math.max(0, length - READ_BYTES);
            byte[] bytes = new byte[(int) (length - from)];
            file.seek(from);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * The last lines of output, exit reports (and anything looking like one) and control characters removed, at most {@code maxLines}
     * lines and {@code maxChars} characters.
     */
    public static String lastLines(String console, int maxLines, int maxChars) {
        String[] lines = console.replace("\r\n", "\n").replace('\r', '\n').split("\n");
        List<String> kept = new ArrayList<>();
        int chars = 0;
        for (int i = lines.length - 1; i >= 0 && kept.size() < maxLines; i--) {
            String line = withoutReport(clean(lines[i]));
            if (line.isBlank()) {
                continue;
            }
            if (chars + line.length() + 1 > maxChars) {
                break;
            }
            chars += line.length() + 1;
            kept.add(0, line);
        }
        return String.join("\n", kept);
    }

    /** The line up to any exit report in it: output glued before a report is the job's and stays. */
    private static String withoutReport(String line) {
        int at = line.indexOf(ExitMarker.PREFIX);
        return at < 0 ? line : line.substring(0, at);
    }

    private static String clean(String line) {
        String noAnsi = line.replaceAll("\u001B\\[[0-9;?]*[ -/]*[@-~]", "");
        StringBuilder sb = new StringBuilder(noAnsi.length());
        noAnsi.codePoints().filter(cp -> cp == '\t' || cp >= 0x20 && cp != 0x7f).forEach(sb::appendCodePoint);
        return sb.toString();
    }
}
