package org.solstice.orchestrator.bench.fleet;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Issue 8's simulated fleet, run by bench/fleet.sh: the label-queue scheme on a modelled fleet at several offered
 * loads, printed as Markdown tables for docs/benchmarks.md.
 *
 * <p>Arguments: [HOSTS (50)] [LABELS (200)] [SEED (1)] [LOADS (0.5,0.8,0.95)] [HOURS measured (12)]
 * [DOWN minutes of the failed host (15)].
 */
public final class FleetBenchmark {
    static final double WARM_UP_MINUTES = 60;
    static final List<Settings> SETTINGS =
            List.of(Settings.DEFAULT, Settings.MAX_PENDING_1, Settings.PREFETCH_1_MAX_PENDING_1, Settings.IDEAL);

    private FleetBenchmark() {
    }

    public static void main(String[] args) {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int labels = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        double[] loads = Arrays.stream((args.length > 3 ? args[3] : "0.5,0.8,0.95").split(","))
                .mapToDouble(Double::parseDouble).toArray();
        double hours = args.length > 4 ? Double.parseDouble(args[4]) : 12;
        double downMinutes = args.length > 5 ? Double.parseDouble(args[5]) : 15;
        long began = System.nanoTime();
        FleetModel model = FleetModel.generate(hosts, labels, seed);
        double from = WARM_UP_MINUTES;
        double to = from + hours * 60;
        FleetDescription.print(model, seed, hours);

        Map<Double, Map<Settings, RunSummary>> results = new LinkedHashMap<>();
        Map<Double, FleetSimulation> defaults = new LinkedHashMap<>();
        Map<Double, FleetSimulation> maxPendingOne = new LinkedHashMap<>();
        Map<Double, List<Workload.Arrival>> traces = new LinkedHashMap<>();
        for (int i = 0; i < loads.length; i++) {
            List<Workload.Arrival> arrivals = Workload.poisson(model, loads[i], to, seed * 1_000 + i);
            traces.put(loads[i], arrivals);
            Map<Settings, RunSummary> bySettings = new LinkedHashMap<>();
            for (Settings settings : SETTINGS) {
                FleetSimulation sim = new FleetSimulation(model, settings, arrivals, null, from, to).run();
                bySettings.put(settings, RunSummary.of(model, sim, from, to));
                if (settings == Settings.DEFAULT) {
                    defaults.put(loads[i], sim);
                } else if (settings == Settings.MAX_PENDING_1) {
                    maxPendingOne.put(loads[i], sim);
                }
            }
            results.put(loads[i], bySettings);
        }
        printLoads(results);
        printSettings(results);
        printRouter(model, defaults, traces, from, to);
        HostFailure.printHeader(model, downMinutes);
        for (double load : loads) {
            double at = from + (to - from) / 2;
            HostFailure.printRow(model, Settings.DEFAULT, traces.get(load), defaults.get(load), load, at, downMinutes);
            HostFailure.printRow(model, Settings.MAX_PENDING_1, traces.get(load), maxPendingOne.get(load), load, at,
                    downMinutes);
        }
        NaiveSharedQueue.print(model, results);
        System.out.printf("%n(simulated in %.1f s of wall time)%n", (System.nanoTime() - began) / 1e9);
    }

    private static void printLoads(Map<Double, Map<Settings, RunSummary>> results) {
        System.out.println("\n### Per offered load, default settings (waits in minutes, arrival to start)\n");
        System.out.println("| offered load | jobs arrived/h | jobs completed/h | slot utilisation | wait p50 / p95 / p99"
                + " | least popular quarter of labels: p50 / p95 / p99 | jobs that waited at all | stranded jobs"
                + " (share) | extra wait of a stranded job: mean / p95 | extra wait per job, all jobs |");
        System.out.println("|---:|---:|---:|---:|---|---|---:|---|---|---:|");
        results.forEach((load, bySettings) -> {
            RunSummary r = bySettings.get(Settings.DEFAULT);
            System.out.printf("| %.0f%% | %,.0f | %,.0f | %.1f%% | %s | %s | %.1f%% | %,d (%.2f%%) | %.2f / %.2f | %.3f |%n",
                    load * 100, r.arrivedPerHour(), r.completedPerHour(), r.utilisation() * 100, triple(r.waits()),
                    triple(r.tailWaits()), r.waitedShare() * 100, r.stranded(), r.strandedShare() * 100,
                    r.meanExtraOfStranded(), r.p95ExtraOfStranded(), r.extraPerJob());
        });
    }

    private static void printSettings(Map<Double, Map<Settings, RunSummary>> results) {
        System.out.println("\n### Prefetch and max-pending against stranding (same jobs for every row of a load)\n");
        System.out.println("| offered load | settings | mean wait | wait p95 / p99 | tail p99 | stranded share"
                + " | extra wait per job |");
        System.out.println("|---:|---|---:|---|---:|---:|---:|");
        results.forEach((load, bySettings) -> bySettings.forEach((settings, r) -> System.out.printf(
                "| %.0f%% | %s | %.2f | %.2f / %.2f | %.2f | %.2f%% | %.3f |%n", load * 100, settings.name(),
                r.meanWait(), r.waits()[1], r.waits()[2], r.tailWaits()[2], r.strandedShare() * 100,
                r.extraPerJob())));
    }

    private static void printRouter(FleetModel model, Map<Double, FleetSimulation> sims,
            Map<Double, List<Workload.Arrival>> traces, double from, double to) {
        System.out.println("\n### Router and broker traffic (default settings)\n");
        System.out.println("| offered load | router messages/s: mean / busiest minute | per daemon (mean) |"
                + " router publishes per job | dead-lettered (each: 1 returned publish + 1 dead-letter + 1 failed"
                + " JobResult) | broker deliveries per job | acks per job |");
        System.out.println("|---:|---|---:|---:|---:|---:|---:|");
        sims.forEach((load, sim) -> {
            double seconds = (to - from) * 60;
            long inWindow = traces.get(load).stream().filter(a -> a.minute() >= from && a.minute() < to).count();
            int[] perMinute = new int[(int) Math.ceil(to)];
            traces.get(load).forEach(a -> perMinute[(int) a.minute()]++);
            int busiest = Arrays.stream(perMinute, (int) from, (int) to).max().orElse(0);
            long jobs = sim.jobs().size();
            double deliveries = (sim.routerMessages + sim.deliveries()) / (double) jobs;
            double acks = (sim.routerMessages + sim.hostAcks()) / (double) jobs;
            System.out.printf("| %.0f%% | %.2f / %.2f | %.3f | %.2f | %,d of %,d (%.1f%%) | %.2f | %.2f |%n",
                    load * 100, inWindow / seconds, busiest / 60.0, inWindow / seconds / model.hosts(),
                    sim.routerPublishes / (double) sim.routerMessages, sim.deadLetters, jobs,
                    100.0 * sim.deadLetters / jobs, deliveries, acks);
        });
    }

    static String triple(double[] values) {
        return String.format("%.2f / %.2f / %.2f", values[0], values[1], values[2]);
    }
}
