package org.solstice.orchestrator.images;

import java.time.Duration;
import java.util.Locale;

/** Rate and ETA of a transfer from its progress reports, and human-readable sizes. */
public final class TransferRate {
    private final long startNanos;
    private final long startPosition;

    public TransferRate(long startPosition) {
        this.startNanos = System.nanoTime();
        this.startPosition = startPosition;
    }

    /** Bytes per second since the start, 0 before any time has passed. */
    public double bytesPerSecond(long position) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return seconds <= 0 ? 0 : (position - startPosition) / seconds;
    }

    /** Time left at the current rate, or null when unknown. */
    public Duration eta(long position, long total) {
        double rate = bytesPerSecond(position);
        if (total < 0 || rate <= 0) {
            return null;
        }
        return Duration.ofSeconds((long) Math.ceil(Math.max(0, total - position) / rate));
    }

    /** "512 B", "1.5 MiB", "2.0 GiB". */
    public static String bytes(long n) {
        if (n < 0) {
            return "?";
        }
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = n;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** "42s", "3m05s", "1h02m"; "?" when null. */
    public static String duration(Duration d) {
        if (d == null) {
            return "?";
        }
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }

    /** "1.2 GiB of 2.0 GiB (60%), 45.3 MiB/s, ETA 18s". */
    public String describe(long position, long total) {
        StringBuilder sb = new StringBuilder(bytes(position));
        if (total >= 0) {
            sb.append(" of ").append(bytes(total));
            if (total > 0) {
                sb.append(" (").append(position * 100 / total).append("%)");
            }
        }
        sb.append(", ").append(bytes((long) bytesPerSecond(position))).append("/s");
        if (total >= 0) {
            sb.append(", ETA ").append(duration(eta(position, total)));
        }
        return sb.toString();
    }
}
