package org.solstice.orchestrator.guest;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The line the guest's bootstrap prints on the serial console when the job has finished:
 * {@code SOLSTICE_JOB_EXIT=<status> <token>}, where the token is a random value the orchestrator put into that
 * job's bootstrap. The last marker line in the console output gives the status; the token lets the orchestrator
 * tell its own bootstrap's report from a job that merely prints something that looks like one.
 */
public final class ExitMarker {
    public static final String PREFIX = "SOLSTICE_JOB_EXIT=";
    private static final Pattern LINE = Pattern.compile("(?m)^\\s*" + PREFIX + "(\\d{1,3})(?:[ \\t]+([0-9a-f]{16,64}))?\\s*$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ExitMarker() {
    }

    /** A fresh token for one job's bootstrap. */
    public static String newToken() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public static String line(int status) {
        return PREFIX + status;
    }

    public static String line(int status, String token) {
        return PREFIX + status + " " + token;
    }

    /** The job's exit status from console output, if a marker is there (the last one wins). */
    public static OptionalInt find(CharSequence console) {
        Matcher m = LINE.matcher(console);
        OptionalInt found = OptionalInt.empty();
        while (m.find()) {
            found = OptionalInt.of(Integer.parseInt(m.group(1)));
        }
        return found;
    }

    /** The status reported with this job's own token, if the bootstrap has reported it. */
    public static OptionalInt reported(CharSequence console, String token) {
        Matcher m = LINE.matcher(console);
        OptionalInt found = OptionalInt.empty();
        while (m.find()) {
            if (token.equals(m.group(2))) {
                found = OptionalInt.of(Integer.parseInt(m.group(1)));
            }
        }
        return found;
    }
}
