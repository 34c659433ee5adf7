package org.solstice.orchestrator.bench.fleet;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * One host serving popular labels dies half-way through the measuring window and comes back after a downtime
 * with its job store: its running jobs are run again, its accepted jobs wait for it, its unacked deliveries go
 * back to their queues. Compared job by job with the same arrivals and no failure.
 */
final class HostFailure {
    private HostFailure() {
    }

    /** The host expected to carry the largest share of the served traffic. */
    static int busiestHost(FleetModel model) {
        double[] share = new double[model.hosts()];
        for (int l = 0; l < model.labels(); l++) {
            int label = l;
            double total = Arrays.stream(model.hostsOfLabel[l]).map(h -> model.capacity[h][label]).sum();
            for (int h : model.hostsOfLabel[l]) {
                share[h] += model.popularity[l] * model.capacity[h][l] / total;
            }
        }
        return IntStream.range(0, model.hosts()).boxed().max((a, b) -> Double.compare(share[a], share[b])).orElseThrow();
    }

    static void printHeader(FleetModel model, double down) {
        int host = busiestHost(model);
        System.out.printf("%n### One host serving popular labels dies and restarts after %.0f min%n%n", down);
        System.out.printf("Host %d (max-concurrency %d, labels of popularity rank %s) dies half-way through the"
                + " measuring window. Delays are against the same jobs without the failure.%n%n", host,
                model.maxConcurrency[host], Arrays.toString(Arrays.stream(model.labelsOfHost[host]).map(l -> l + 1)
                        .toArray()));
        System.out.println("| offered load | settings | running at death: run again (work lost) | accepted, not started:"
                + " waited for the restart, started after the death mean / max | unacked: returned to the queue,"
                + " started after the death mean / max | arrived while down for labels only it serves"
                + " | jobs finished > 1 min later: count, mean / p95 / max | net delay, all jobs"
                + " | mean wait of jobs arriving from the death to 1 h after the restart: with / without failure |");
        System.out.println("|---:|---|---|---|---|---:|---|---:|---|");
    }

    static void printRow(FleetModel model, Settings settings, List<Workload.Arrival> arrivals,
            FleetSimulation baseline, double load, double at, double down) {
        FleetSimulation sim = new FleetSimulation(model, settings, arrivals,
                new FleetSimulation.Failure(busiestHost(model), at, down), at - 60, at + 60).run();
        double[] held = sim.heldAtDeath.stream().mapToDouble(j -> j.firstStart - at).sorted().toArray();
        double[] returned = sim.returnedAtDeath.stream().mapToDouble(j -> j.firstStart - at).sorted().toArray();
        int host = busiestHost(model);
        long onlyHere = sim.jobs().stream().filter(j -> !j.deadLettered && j.arrival >= at && j.arrival < at + down
                && model.hostsOfLabel[j.label].length == 1 && model.hostsOfLabel[j.label][0] == host).count();
        List<SimJob> before = baseline.jobs();
        double[] delta = sim.jobs().stream().filter(j -> !j.deadLettered)
                .mapToDouble(j -> j.completedAt - before.get(j.id).completedAt).toArray();
        double[] later = Arrays.stream(delta).filter(d -> d > 1).sorted().toArray();
        RunSummary with = RunSummary.of(model, sim, at, at + down + 60);
        RunSummary without = RunSummary.of(model, baseline, at, at + down + 60);
        System.out.printf("| %.0f%% | %s | %d (%.0f job-min) | %d: %.1f / %.1f min | %d: %.1f / %.1f min | %d"
                + " | %,d: %.1f / %.1f / %.1f min | %,.0f job-min | %.2f / %.2f min |%n", load * 100,
                settings == Settings.DEFAULT ? "default" : settings.name(), sim.runningAtDeath.size(), sim.lostRunMinutes, held.length, RunSummary.mean(held), max(held),
                returned.length, RunSummary.mean(returned), max(returned), onlyHere, later.length,
                RunSummary.mean(later), RunSummary.percentile(later, 95), max(later), Arrays.stream(delta).sum(),
                with.meanWait(), without.meanWait());
    }

    private static double max(double[] sorted) {
        return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
    }
}
