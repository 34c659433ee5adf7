package org.solstice.orchestrator.ops;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one series' value from a Prometheus text-format scrape. */
final class Metrics {
    private Metrics() {
    }

    /** The value of the series written exactly as {@code series} (name and labels); fails when absent. */
    /**
     * The value of one series of the daemon's own metrics, named without the {@code instance_id} label that every
     * one of them carries (checked here too).
     */
    static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)").matcher(withoutInstance(scrape));
        if (!m.find()) {
            throw new AssertionError("no series " + series + " in the scrape:\n" + scrape);
        }
        return Double.parseDouble(m.group(1));
    }

    private static String withoutInstance(String scrape) {
        StringBuilder out = new StringBuilder();
        for (String line : scrape.split("\n")) {
            if (line.startsWith("solstice_orchestrator_")) {
                if (!line.contains("instance_id=\"")) {
                    throw new AssertionError("series without the instance_id label: " + line);
                }
                line = line.replaceFirst("\\{instance_id=\"[^\"]*\"}", "")
                        .replaceFirst(",instance_id=\"[^\"]*\"", "")
                        .replaceFirst("instance_id=\"[^\"]*\",", "");
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }
}
