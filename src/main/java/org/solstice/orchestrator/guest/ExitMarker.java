package org.solstice.orchestrator.guest;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The line the guest's bootstrap prints on the serial console when the job has finished:
 * {@code SOLSTICE_JOB_EXIT=<status>}. The last such line in the console output wins.
 */
public final class ExitMarker {
    public static final String PREFIX = "SOLSTICE_JOB_EXIT=";
    private static final Pattern LINE = Pattern.compile("(?m)^\\s*" + PREFIX + "(\\d{1,3})\\s*$");

    private ExitMarker() {
    }

    public static String line(int status) {
        return PREFIX + status;
    }

    /** The job's exit status from console output, if the marker is there. */
    public static OptionalInt find(CharSequence console) {
        Matcher m = LINE.matcher(console);
        OptionalInt found = OptionalInt.empty();
        while (m.find()) {
            found = OptionalInt.of(Integer.parseInt(m.group(1)));
        }
        return found;
    }
}
