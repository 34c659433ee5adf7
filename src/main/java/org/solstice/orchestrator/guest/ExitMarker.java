package org.solstice.orchestrator.guest;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The report the guest's bootstrap prints on the serial console when the job has finished:
 * {@code SOLSTICE_JOB_EXIT=<status> <token>}, where the token is a random value the orchestrator put into that
 * job's bootstrap. Only a report with the job's own token counts ({@link #reported}): a job that prints something
 * that looks like a report cannot end itself, and the report is found wherever it stands, even glued after output
 * that did not end its line (the bootstrap starts it on a line of its own, but the reader does not rely on it).
 */
public final class ExitMarker {
    public static final String PREFIX = "SOLSTICE_JOB_EXIT=";
    private static final Pattern TOKEN = Pattern.compile("[0-9a-f]{16,64}");
    /** Any marker, with or without a token, on a line of its own: see {@link #find}. */
    private static final Pattern LINE = Pattern.compile("(?m)^\\s*" + PREFIX + "(\\d{1,3})(?:[ \\t]+([0-9a-f]{16,64}))?\\s*$");
    /** Bytes a console may hold that are never part of a report: NUL and the other C0 controls but tab and LF. */
    private static final Pattern NOISE = Pattern.compile("[\\x00-\\x08\\x0B-\\x1F\\x7F]");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ExitMarker() {
    }

    /** A fresh token for one job's bootstrap. */
    public static String newToken() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public static boolean isToken(String token) {
        return token != null && TOKEN.matcher(token).matches();
    }

    public static String line(int status) {
        return PREFIX + status;
    }

    public static String line(int status, String token) {
        return PREFIX + status + " " + token;
    }

    /**
     * Any marker's status, tokened or not, from console output (the last one on a line of its own wins). This is
     * what a backend's own tests look for when they run a plain script; a job's status is {@link #reported}.
     */
    public static OptionalInt find(CharSequence console) {
        Matcher m = LINE.matcher(console);
        OptionalInt found = OptionalInt.empty();
        while (m.find()) {
            found = OptionalInt.of(Integer.parseInt(m.group(1)));
        }
        return found;
    }

    /**
     * The status the bootstrap reported with this job's own token, if it has. The report counts wherever it
     * stands: after output without a trailing newline, a carriage return, ANSI sequences, NUL bytes or a broken
     * UTF-8 sequence (decoded as U+FFFD), and with or without a newline after it. Markers without the token, or
     * with another one, are ignored. A status over 255 is no status a shell reports, so it is ignored too.
     *
     * @param token the job's token; null (unknown) finds nothing
     */
    public static OptionalInt reported(CharSequence console, String token) {
        if (!isToken(token)) {
            return OptionalInt.empty();
        }
        String text = NOISE.matcher(console).replaceAll("");
        Matcher m = Pattern.compile(Pattern.quote(PREFIX) + "(\\d{1,3})[ \\t]+" + token + "(?![0-9a-fA-F])")
                .matcher(text);
        OptionalInt found = OptionalInt.empty();
        while (m.find()) {
            int status = Integer.parseInt(m.group(1));
            if (status <= 255) {
                found = OptionalInt.of(status);
            }
        }
        return found;
    }
}
