package org.solstice.orchestrator.bench.fleet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The simulated fleet: hosts with their max-concurrency, labels with a Zipf-like popularity, and which host
 * serves which label with what capacity.
 *
 * <p>Label 0 is the most popular. A label of popularity rank r is served by 5 hosts in the top 5 % of labels, 4
 * up to 12.5 %, 3 up to 25 %, 2 up to 50 %, 1 below. Hosts are given to labels the way an operator who knows the
 * demand would: most popular label first, each to the hosts with the most slots not yet spoken for, its expected
 * demand at full load split among them in proportion to those free slots. A host's capacity for a label is 1.5
 * times its share of that demand, rounded up, at least 1 and at most the host's max-concurrency.
 */
final class FleetModel {
    static final int[] MAX_CONCURRENCY_CHOICES = {2, 4, 8, 16};
    static final double ZIPF_EXPONENT = 1.0;
    static final double CAPACITY_HEADROOM = 1.5;

    final int[] maxConcurrency;
    /** [host][label]: the host's capacity for the label, 0 when it does not serve it. */
    final int[][] capacity;
    /** Share of the served traffic, per label; sums to 1. */
    final double[] popularity;
    final int[][] hostsOfLabel;
    final int[][] labelsOfHost;
    /** Per host: the demand given to it at 100 % offered load, in slots (ideally its max-concurrency). */
    final double[] allocatedSlots;

    private FleetModel(int[] maxConcurrency, int[][] capacity, double[] popularity, double[] allocatedSlots) {
        this.maxConcurrency = maxConcurrency;
        this.capacity = capacity;
        this.popularity = popularity;
        this.allocatedSlots = allocatedSlots;
        int hosts = maxConcurrency.length;
        int labels = popularity.length;
        hostsOfLabel = new int[labels][];
        labelsOfHost = new int[hosts][];
        for (int l = 0; l < labels; l++) {
            int label = l;
            hostsOfLabel[l] = java.util.stream.IntStream.range(0, hosts).filter(h -> capacity[h][label] > 0).toArray();
        }
        for (int h = 0; h < hosts; h++) {
            int host = h;
            labelsOfHost[h] = java.util.stream.IntStream.range(0, labels).filter(l -> capacity[host][l] > 0).toArray();
        }
    }

    static FleetModel generate(int hosts, int labels, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] max = new int[hosts];
        for (int h = 0; h < hosts; h++) {
            max[h] = MAX_CONCURRENCY_CHOICES[random.nextInt(MAX_CONCURRENCY_CHOICES.length)];
        }
        double[] popularity = new double[labels];
        double sum = 0;
        for (int l = 0; l < labels; l++) {
            popularity[l] = 1 / Math.pow(l + 1, ZIPF_EXPONENT);
            sum += popularity[l];
        }
        for (int l = 0; l < labels; l++) {
            popularity[l] /= sum;
        }
        int totalSlots = Arrays.stream(max).sum();
        double[] free = Arrays.stream(max).asDoubleStream().toArray();
        int[][] capacity = new int[hosts][labels];
        for (int l = 0; l < labels; l++) {
            List<Integer> order = shuffled(hosts, random);
            order.sort(Comparator.comparingDouble((Integer h) -> -free[h]));
            List<Integer> chosen = order.subList(0, Math.min(hosts, hostsFor(l, labels)));
            double demand = popularity[l] * totalSlots;
            double room = chosen.stream().mapToDouble(h -> Math.max(0, free[h])).sum();
            for (int h : chosen) {
                double share = room > 0 ? demand * Math.max(0, free[h]) / room : demand / chosen.size();
                free[h] -= share;
                capacity[h][l] = Math.min(max[h], Math.max(1, (int) Math.ceil(CAPACITY_HEADROOM * share)));
            }
        }
        double[] allocated = new double[hosts];
        for (int h = 0; h < hosts; h++) {
            allocated[h] = max[h] - free[h];
        }
        return new FleetModel(max, capacity, popularity, allocated);
    }

    /** How many hosts serve the label of this popularity rank. */
    static int hostsFor(int rank, int labels) {
        double position = (rank + 0.5) / labels;
        if (position < 0.05) {
            return 5;
        } else if (position < 0.125) {
            return 4;
        } else if (position < 0.25) {
            return 3;
        } else if (position < 0.5) {
            return 2;
        }
        return 1;
    }

    private static List<Integer> shuffled(int n, SplittableRandom random) {
        List<Integer> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(i);
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Integer t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
        return list;
    }

    int hosts() {
        return maxConcurrency.length;
    }

    int labels() {
        return popularity.length;
    }

    int totalSlots() {
        return Arrays.stream(maxConcurrency).sum();
    }

    /** The labels of the least popular quarter (the tail). */
    boolean isTail(int label) {
        return label >= labels() - labels() / 4;
    }

    /** The prefetch a host's consumer of this label gets by default: min(max-concurrency, capacity). */
    int defaultPrefetch(int host, int label) {
        return Math.min(maxConcurrency[host], capacity[host][label]);
    }
}
