package org.solstice.orchestrator.ops;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one series' value from a Prometheus text-format scrape. */
final class Metrics {
    private Metrics() {
    }

    /** The value of the series written exactly as {@code series} (name and labels); fails when absent. */
    static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)").matcher(scrape);
        if (!m.find()) {
            throw new AssertionError("no series " + series + " in the scrape:\n" + scrape);
        }
        return Double.parseDouble(m.group(1));
    }
}
