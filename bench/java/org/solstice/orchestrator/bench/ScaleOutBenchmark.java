package org.solstice.orchestrator.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.solstice.orchestrator.messaging.AmqpSettings;
import org.solstice.orchestrator.testing.RabbitMq;

/**
 * Issue #8's benchmark, run by bench/scaleout.sh: the same backlog of N JobRequests taken by 1, 2 and 4 daemon
 * processes (noop backend, each with its own state directory and instance id) on this machine against one
 * broker. Two workloads:
 * <ul>
 *   <li>overhead-bound: zero run time, max-concurrency 64 per daemon, as issue #2's benchmark: what the daemons
 *       themselves cost, sharing this machine's CPUs with the broker;</li>
 *   <li>slot-bound: a fixed run time per job and a small max-concurrency per daemon, like real hosts whose VMs
 *       are the limit: adding a host adds its slots.</li>
 * </ul>
 * Throughput is counted from the first result to the last. Arguments: JAR [JOBS] [SLOT_JOBS] [ROUNDS].
 */
public final class ScaleOutBenchmark {
    private ScaleOutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        int jobs = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int slotJobs = args.length > 2 ? Integer.parseInt(args[2]) : 400;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        System.out.printf("host: %d CPUs, load average %s%n", Runtime.getRuntime().availableProcessors(),
                Files.readString(Path.of("/proc/loadavg")).trim());
        report(jar, "overhead-bound: " + jobs + " jobs, run time 0s, max-concurrency 64 per daemon", jobs, rounds,
                "--max-concurrency", "64", "--max-pending", "64", "--noop-run-time", "0s");
        report(jar, "slot-bound: " + slotJobs + " jobs, run time 500ms, max-concurrency 4 per daemon", slotJobs, rounds,
                "--max-concurrency", "4", "--noop-run-time", "500ms");
        System.out.printf("load average after: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
    }

    private static void report(Path jar, String title, int jobs, int rounds, String... options) throws Exception {
        Map<Integer, List<Double>> rates = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (int daemons : new int[] {1, 2, 4}) {
                double rate = run(jar, daemons, jobs, options);
                rates.computeIfAbsent(daemons, d -> new ArrayList<>()).add(rate);
                System.out.printf("%s, round %d, %d daemon(s): %.1f jobs/s%n", title, round, daemons, rate);
            }
        }
        double one = ThroughputBenchmark.median(rates.get(1));
        System.out.println();
        System.out.println("### " + title);
        System.out.println("| daemons | jobs/s (median) | rounds | scaling vs 1 daemon |");
        System.out.println("| ---: | ---: | --- | ---: |");
        rates.forEach((daemons, list) -> System.out.printf("| %d | %.1f | %s | %.2f |%n", daemons,
                ThroughputBenchmark.median(list), list.stream().map(r -> String.format("%.1f", r)).toList(),
                ThroughputBenchmark.median(list) / one));
        System.out.println();
    }

    /** Fills a fresh job queue, starts {@code daemons} processes on it and times the results. */
    static double run(Path jar, int daemons, int jobs, String... options) throws Exception {
        AmqpSettings s = RabbitMq.uniqueSettings(64);
        ThroughputBenchmark.load(s, jobs);
        List<Process> processes = new ArrayList<>();
        List<Path> states = new ArrayList<>();
        try (ThroughputBenchmark.ResultCounter counter = new ThroughputBenchmark.ResultCounter(s, jobs)) {
            for (int i = 0; i < daemons; i++) {
                Path state = Files.createTempDirectory("bench-scaleout");
                states.add(state);
                List<String> all = new ArrayList<>(List.of(options));
                all.addAll(List.of("--instance-id", "bench-" + i, "--http-port", "0"));
                processes.add(ThroughputBenchmark.startDaemon(jar, s, state, all.toArray(String[]::new)));
            }
            double rate = counter.rate(jobs);
            for (int i = 0; i < daemons; i++) {
                if (!processes.get(i).isAlive()) {
                    throw new IllegalStateException("daemon " + i + " of " + daemons + " exited early: see "
                            + states.get(i).resolveSibling(states.get(i).getFileName() + ".log"));
                }
            }
            return rate;
        } finally {
            for (Process p : processes) {
                p.destroy();
            }
            for (Process p : processes) {
                p.waitFor(60, TimeUnit.SECONDS);
            }
            RabbitMq.deleteTopology(s);
            for (Path state : states) {
                ThroughputBenchmark.deleteTree(state);
            }
        }
    }
}
