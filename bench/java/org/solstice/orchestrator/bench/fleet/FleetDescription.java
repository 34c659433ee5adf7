package org.solstice.orchestrator.bench.fleet;

import java.util.Arrays;
import java.util.stream.IntStream;

/** Prints the modelled fleet and the broker objects the scheme needs for it. */
final class FleetDescription {
    /** Channels a daemon opens besides its label consumers: router consumer, router publisher, results, events. */
    static final int FIXED_CHANNELS_PER_DAEMON = 4;

    private FleetDescription() {
    }

    static void print(FleetModel model, long seed, double hours) {
        int hosts = model.hosts();
        int labels = model.labels();
        int pairs = Arrays.stream(model.labelsOfHost).mapToInt(l -> l.length).sum();
        System.out.printf("### The modelled fleet (seed %d; %.0f h measured after 1 h warm-up)%n%n", seed, hours);
        System.out.println("| what | value |");
        System.out.println("|---|---|");
        StringBuilder mix = new StringBuilder();
        for (int m : FleetModel.MAX_CONCURRENCY_CHOICES) {
            mix.append(String.format("%d x %d, ", Arrays.stream(model.maxConcurrency).filter(x -> x == m).count(), m));
        }
        System.out.printf("| hosts (count x max-concurrency) | %d: %s%d slots |%n", hosts, mix, model.totalSlots());
        System.out.printf("| labels | %d served, plus %d no host serves (%.0f%% of arrivals) |%n", labels,
                Workload.UNSERVED_LABELS, Workload.UNSERVED_SHARE * 100);
        System.out.printf("| popularity | Zipf, exponent %.1f: top label %.1f%% of served jobs, top 10 %.1f%%,"
                + " least popular quarter %.1f%% |%n", FleetModel.ZIPF_EXPONENT, model.popularity[0] * 100,
                IntStream.range(0, Math.min(10, labels)).mapToDouble(l -> model.popularity[l]).sum() * 100,
                IntStream.range(0, labels).filter(model::isTail).mapToDouble(l -> model.popularity[l]).sum() * 100);
        StringBuilder perLabel = new StringBuilder();
        for (int k = 5; k >= 1; k--) {
            int count = k;
            perLabel.append(String.format("%d labels on %d, ",
                    Arrays.stream(model.hostsOfLabel).filter(h -> h.length == count).count(), k));
        }
        System.out.printf("| hosts per label | %s%d host-label pairs |%n", perLabel, pairs);
        System.out.printf("| labels per host | min %d, median %d, max %d |%n",
                Arrays.stream(model.labelsOfHost).mapToInt(l -> l.length).min().orElse(0),
                Arrays.stream(model.labelsOfHost).mapToInt(l -> l.length).sorted().toArray()[hosts / 2],
                Arrays.stream(model.labelsOfHost).mapToInt(l -> l.length).max().orElse(0));
        double[] balance = IntStream.range(0, hosts)
                .mapToDouble(h -> model.allocatedSlots[h] / model.maxConcurrency[h]).toArray();
        System.out.printf("| demand given to a host at 100%% load / its slots | min %.2f, max %.2f |%n",
                Arrays.stream(balance).min().orElse(0), Arrays.stream(balance).max().orElse(0));
        System.out.printf("| job duration | lognormal, median %.1f min, sigma %.1f: mean %.2f min |%n",
                Workload.MEDIAN_DURATION_MINUTES, Workload.DURATION_SIGMA, Workload.meanDurationMinutes());

        int maxLabels = Arrays.stream(model.labelsOfHost).mapToInt(l -> l.length).max().orElse(0);
        System.out.println("\n### Broker objects for this fleet\n");
        System.out.println("| object | count | made of |");
        System.out.println("|---|---:|---|");
        System.out.printf("| queues | %d | entry queue, dead-letter queue, one label queue per served label |%n",
                2 + labels);
        System.out.printf("| bindings (explicit) | %d | entry and dead-letter queues, one per label queue on"
                + " `solstice.jobs.labels` (each host re-declares its labels' bindings; same binding) |%n",
                2 + labels);
        System.out.printf("| consumers | %d | %d routers + %d label consumers (one per host-label pair) |%n",
                hosts + pairs, hosts, pairs);
        System.out.printf("| channels | %d | %d per daemon (router consume, router publish, results, events)"
                + " + one per label consumer; the busiest daemon has %d |%n", hosts * FIXED_CHANNELS_PER_DAEMON
                + pairs, FIXED_CHANNELS_PER_DAEMON, FIXED_CHANNELS_PER_DAEMON + maxLabels);
        System.out.printf("| connections | %d | one per daemon |%n", hosts);
    }
}
