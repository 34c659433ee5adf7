package org.solstice.orchestrator.bench.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The arrivals: a Poisson stream at a given offered load, labels drawn by popularity, a share for labels no host
 * serves, lognormal durations. Generated up front so that every setting runs the same jobs.
 */
final class Workload {
    static final double MEDIAN_DURATION_MINUTES = 4.0;
    static final double DURATION_SIGMA = 0.8;
    static final double UNSERVED_SHARE = 0.02;
    static final int UNSERVED_LABELS = 10;

    record Arrival(double minute, int label, double durationMinutes) {
    }

    private Workload() {
    }

    static double meanDurationMinutes() {
        return MEDIAN_DURATION_MINUTES * Math.exp(DURATION_SIGMA * DURATION_SIGMA / 2);
    }

    /**
     * @param load offered load as a fraction of the fleet's slots, counting only jobs for served labels
     * @return arrivals over the given minutes; a label at or above {@code model.labels()} is served by no host
     */
    static List<Arrival> poisson(FleetModel model, double load, double minutes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double servedPerMinute = load * model.totalSlots() / meanDurationMinutes();
        double perMinute = servedPerMinute / (1 - UNSERVED_SHARE);
        double[] cumulative = new double[model.labels()];
        double sum = 0;
        for (int l = 0; l < cumulative.length; l++) {
            sum += model.popularity[l];
            cumulative[l] = sum;
        }
        List<Arrival> arrivals = new ArrayList<>();
        double t = random.nextExponential() / perMinute;
        while (t < minutes) {
            int label;
            if (random.nextDouble() < UNSERVED_SHARE) {
                label = model.labels() + random.nextInt(UNSERVED_LABELS);
            } else {
                label = pick(cumulative, random.nextDouble() * sum);
            }
            double duration = MEDIAN_DURATION_MINUTES * Math.exp(DURATION_SIGMA * random.nextGaussian());
            arrivals.add(new Arrival(t, label, duration));
            t += random.nextExponential() / perMinute;
        }
        return arrivals;
    }

    private static int pick(double[] cumulative, double x) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
