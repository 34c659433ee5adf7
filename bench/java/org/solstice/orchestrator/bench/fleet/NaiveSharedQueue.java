package org.solstice.orchestrator.bench.fleet;

import java.util.Map;

/**
 * The alternative issue 8 rules out, worked out from the fleet rather than simulated: one shared queue, and a
 * host that cannot serve a job's label rejects it with requeue. Round-robin hands the requeued message to the
 * next consumer; starting from a random consumer, the number of rejections before one of the k serving hosts
 * of n gets it is (n - k) / (k + 1) on average, before any serving host that is full holds it.
 */
final class NaiveSharedQueue {
    private NaiveSharedQueue() {
    }

    static double expectedBounces(int hosts, int serving) {
        return (hosts - serving) / (double) (serving + 1);
    }

    static void print(FleetModel model, Map<Double, Map<Settings, RunSummary>> results) {
        int n = model.hosts();
        double mean = 0;
        double tail = 0;
        double tailShare = 0;
        for (int l = 0; l < model.labels(); l++) {
            double bounces = expectedBounces(n, model.hostsOfLabel[l].length);
            mean += model.popularity[l] * bounces;
            if (model.isTail(l)) {
                tail += model.popularity[l] * bounces;
                tailShare += model.popularity[l];
            }
        }
        System.out.println("\n### For comparison: one shared queue with reject-and-requeue (not simulated)\n");
        System.out.printf("Rejections before a serving host gets the job: %.1f per served job on average"
                + " (%.1f for a label served by one host), %.1f for the least popular quarter; a job no host"
                + " serves is rejected forever (%d per round of the fleet).%n", mean, expectedBounces(n, 1),
                tail / tailShare, n);
        System.out.println("\n| offered load | requeues/s | broker deliveries per served job |");
        System.out.println("|---:|---:|---:|");
        double finalMean = mean;
        results.forEach((load, bySettings) -> {
            double jobsPerSecond = bySettings.get(Settings.DEFAULT).arrivedPerHour() / 3600;
            System.out.printf("| %.0f%% | %.1f | %.1f |%n", load * 100, jobsPerSecond * finalMean, 1 + finalMean);
        });
    }
}
