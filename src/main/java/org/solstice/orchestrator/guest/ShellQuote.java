package org.solstice.orchestrator.guest;

/** POSIX sh single-quoting: the result is one word whatever the input holds. */
public final class ShellQuote {
    private ShellQuote() {
    }

    public static String quote(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a NUL byte cannot be passed to a shell");
        }
        return "'" + value.replace("'", "'\"'\"'") + "'";
    }
}
