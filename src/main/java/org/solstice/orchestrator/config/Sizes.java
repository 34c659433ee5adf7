package org.solstice.orchestrator.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses sizes ("2G", "512M", "2048" = MiB) and durations ("90s", "30m", "2h", "45" = seconds). */
public final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,9})\\s*([a-z]*)");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)?");

    private Sizes() {
    }

    /** A size in MiB; a bare number is MiB. */
    public static long mebibytes(String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size like 512M or 2G");
        }
        long n = Long.parseLong(m.group(1));
        long mib = switch (m.group(2)) {
            case "", "m", "mb", "mib" -> n;
            case "g", "gb", "gib" -> n * 1024;
            case "t", "tb", "tib" -> n * 1024 * 1024;
            default -> throw new IllegalArgumentException("'" + text + "' has an unknown unit (use M, G or T)");
        };
        if (mib <= 0) {
            throw new IllegalArgumentException("'" + text + "' must be more than zero");
        }
        return mib;
    }

    /** A size in GiB; a bare number is GiB. */
    public static long gibibytes(String text) {
        String trimmed = text.trim();
        if (trimmed.chars().allMatch(Character::isDigit)) {
            trimmed = trimmed + "G";
        }
        long mib = mebibytes(trimmed);
        if (mib % 1024 != 0) {
            throw new IllegalArgumentException("'" + text + "' must be a whole number of GiB");
        }
        return mib / 1024;
    }

    public static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration like 90s, 30m or 2h");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
