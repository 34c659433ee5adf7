package org.solstice.orchestrator.bench.fleet;

import java.util.Arrays;
import java.util.List;

/** The figures of one run, over the served jobs that arrived inside the measuring window. */
record RunSummary(double arrivedPerHour, double completedPerHour, double utilisation, double[] waits,
        double[] tailWaits, double meanWait, double waitedShare, long measured, long stranded,
        double meanExtraOfStranded, double p95ExtraOfStranded, double extraPerJob) {

    /** Percentiles reported for waits: p50, p95, p99 (minutes). */
    static final double[] PERCENTILES = {50, 95, 99};

    static RunSummary of(FleetModel model, FleetSimulation sim, double from, double to) {
        List<SimJob> served = sim.jobs().stream()
                .filter(j -> !j.deadLettered && j.arrival >= from && j.arrival < to).toList();
        double hours = (to - from) / 60;
        long completed = sim.jobs().stream().filter(j -> j.completedAt >= from && j.completedAt < to).count();
        double[] waits = served.stream().mapToDouble(SimJob::waitMinutes).sorted().toArray();
        double[] tail = served.stream().filter(j -> model.isTail(j.label)).mapToDouble(SimJob::waitMinutes)
                .sorted().toArray();
        double[] extra = served.stream().filter(SimJob::stranded).mapToDouble(SimJob::strandedExtraMinutes)
                .sorted().toArray();
        return new RunSummary(served.size() / hours, completed / hours,
                sim.busySlotMinutes / (model.totalSlots() * (to - from)),
                percentiles(waits), percentiles(tail), mean(waits),
                Arrays.stream(waits).filter(w -> w > 1e-9).count() / (double) waits.length,
                served.size(), extra.length, mean(extra), percentile(extra, 95),
                Arrays.stream(extra).sum() / served.size());
    }

    double strandedShare() {
        return stranded / (double) measured;
    }

    static double[] percentiles(double[] sorted) {
        return Arrays.stream(PERCENTILES).map(p -> percentile(sorted, p)).toArray();
    }

    /** Nearest rank; NaN for no values. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double mean(double[] values) {
        return values.length == 0 ? 0 : Arrays.stream(values).average().orElse(0);
    }
}
