package org.solstice.orchestrator.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.solstice.orchestrator.messaging.AmqpSettings;
import org.solstice.orchestrator.messaging.JobMessageCodec;
import org.solstice.orchestrator.messaging.JobRequest;
import org.solstice.orchestrator.messaging.JobSource;
import org.solstice.orchestrator.messaging.Topology;
import org.solstice.orchestrator.messaging.ConfirmingPublisher;
import org.solstice.orchestrator.testing.RabbitMq;

/**
 * Issue #2's benchmark, run by bench/throughput.sh: N JobRequests through the real daemon (noop backend, zero
 * run time, max-concurrency 64) against the local broker, and in the same run the broker's own round trip with
 * the same client library (consume, ack, publish one confirmed reply per message). Also the daemon's resident
 * memory with 10,000 jobs waiting and its start-up time to "consuming".
 *
 * <p>Arguments: JAR [JOBS] [ROUNDS].
 */
public final class ThroughputBenchmark {
    private ThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        int jobs = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        List<Double> daemonRates = new ArrayList<>();
        List<Double> warmRates = new ArrayList<>();
        List<Double> baselineRates = new ArrayList<>();
        List<Double> protocolRates = new ArrayList<>();
        boolean daemonOnly = "daemon".equals(System.getenv("BENCH_ONLY"));
        for (int round = 1; round <= rounds; round++) {
            double baseline = daemonOnly ? Double.NaN : baseline(jobs);
            double protocol = daemonOnly ? Double.NaN : protocol(jobs);
            double[] daemon = daemon(jar, jobs);
            baselineRates.add(baseline);
            protocolRates.add(protocol);
            daemonRates.add(daemon[0]);
            warmRates.add(daemon[1]);
            System.out.printf("round %d: baseline %.0f jobs/s, protocol alone %.0f jobs/s, orchestrator %.0f jobs/s"
                    + " (ratio %.2f), warm orchestrator %.0f jobs/s (ratio %.2f)%n", round, baseline, protocol,
                    daemon[0], daemon[0] / baseline, daemon[1], daemon[1] / baseline);
        }
        double b = median(baselineRates);
        double pr = median(protocolRates);
        double d = median(daemonRates);
        double w = median(warmRates);
        if (daemonOnly) {
            System.out.printf("MEDIAN: orchestrator %.0f jobs/s, warm %.0f jobs/s (BENCH_ONLY=daemon: no baseline)%n",
                    d, w);
            return;
        }
        System.out.printf("MEDIAN: baseline %.0f jobs/s, protocol alone %.0f jobs/s (%.2f of the baseline),"
                + " orchestrator %.0f jobs/s, ratio %.2f, warm orchestrator %.0f jobs/s, ratio %.2f (target >= 0.50)%n",
                b, pr, pr / b, d, d / b, w, w / b);
        memoryAndStartup(jar);
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    static JobRequest aRequest() {
        return new JobRequest(UUID.randomUUID(), JobSource.MANUAL, "https://example.org/r.git",
                "9f2c1e0b7d4a3c5e8f6a1b2c3d4e5f6a7b8c9d0e", null, null, null, Instant.now(), null, null);
    }

    /** Fills the job queue with {@code jobs} requests (confirmed), before anything consumes. */
    static void load(AmqpSettings s, int jobs) throws Exception {
        try (Connection c = RabbitMq.connect()) {
            try (Channel ch = c.createChannel()) {
                Topology.declare(ch, s);
            }
            ConfirmingPublisher publisher = new ConfirmingPublisher(c);
            List<java.util.concurrent.CompletableFuture<ConfirmingPublisher.Outcome>> pending = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                JobRequest r = aRequest();
                pending.add(publisher.publish(s.jobExchange(), s.jobRoutingKey(), r.requestId().toString(),
                        "jobrequest.v1", JobMessageCodec.encodeRequest(r)));
                if (pending.size() >= 1000) {
                    for (var f : pending) {
                        f.get(60, TimeUnit.SECONDS);
                    }
                    pending.clear();
                }
            }
            for (var f : pending) {
                f.get(60, TimeUnit.SECONDS);
            }
            publisher.close();
        }
    }

    /** Counts results on the result exchange; records the arrival time of each. */
    static final class ResultCounter implements AutoCloseable {
        final Connection connection = RabbitMq.connect();
        final long[] arrivals;
        final java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();

        ResultCounter(AmqpSettings s, int expected) throws IOException {
            arrivals = new long[expected];
            Channel ch = connection.createChannel();
            String q = ch.queueDeclare("", false, true, true, null).getQueue();
            ch.queueBind(q, s.resultExchange(), s.resultRoutingKey());
            ch.basicConsume(q, true, new DefaultConsumer(ch) {
                @Override
                public void handleDelivery(String tag, Envelope e, AMQP.BasicProperties p, byte[] body) {
                    int n = received.getAndIncrement();
                    if (n < arrivals.length) {
                        arrivals[n] = System.nanoTime();
                    }
                }
            });
        }

        /** Jobs/s from the first result to the last. */
        double rate(int jobs) throws InterruptedException {
            return rate(0, jobs);
        }

        /** Jobs/s over results {@code from} (0-based) to {@code to} (exclusive), once they have arrived. */
        double rate(int from, int to) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (received.get() < to) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("results missing: " + (to - received.get()));
                }
                Thread.sleep(5);
            }
            return (to - from - 1) / ((arrivals[to - 1] - arrivals[from]) / 1e9);
        }

        @Override
        public void close() throws IOException {
            connection.close();
        }
    }

    static double baseline(int jobs) throws Exception {
        AmqpSettings s = RabbitMq.uniqueSettings(64);
        load(s, jobs);
        try (ResultCounter counter = new ResultCounter(s, jobs); Connection c = RabbitMq.connect()) {
            ConfirmingPublisher replies = new ConfirmingPublisher(c);
            Channel ch = c.createChannel();
            ch.basicQos(64);
            ch.basicConsume(s.jobQueue(), false, new DefaultConsumer(ch) {
                @Override
                public void handleDelivery(String tag, Envelope e, AMQP.BasicProperties p, byte[] body)
                        throws IOException {
                    replies.publish(s.resultExchange(), s.resultRoutingKey(), p.getMessageId(), "jobresult.v1", body);
                    getChannel().basicAck(e.getDeliveryTag(), false);
                }
            });
            double rate = counter.rate(jobs);
            replies.close();
            return rate;
        } finally {
            RabbitMq.deleteTopology(s);
        }
    }

    /** Status events the daemon publishes per job (accepted, provisioning, running, finished) and log chunks. */
    static final int EVENTS_PER_JOB = 5;

    /**
     * The broker work of the daemon's protocol per job with no orchestrator logic at all: the router's hop (consume
     * the request, confirmed republish to the label exchange, ack), the label queue's delivery and ack, one
     * confirmed result and {@link #EVENTS_PER_JOB} confirmed events. The most the daemon could reach here.
     */
    static double protocol(int jobs) throws Exception {
        AmqpSettings s = RabbitMq.uniqueSettings(64);
        load(s, jobs);
        try (ResultCounter counter = new ResultCounter(s, jobs); Connection c = RabbitMq.connect()) {
            try (Channel ch = c.createChannel()) {
                Topology.declareLabelQueue(ch, s, "bench");
            }
            ConfirmingPublisher routes = new ConfirmingPublisher(c);
            ConfirmingPublisher replies = new ConfirmingPublisher(c);
            ConfirmingPublisher events = new ConfirmingPublisher(c);
            Channel router = c.createChannel();
            router.basicQos(64);
            router.basicConsume(s.jobQueue(), false, new DefaultConsumer(router) {
                @Override
                public void handleDelivery(String tag, Envelope e, AMQP.BasicProperties p, byte[] body) {
                    routes.publish(s.labelExchange(), "bench", p.getMessageId(), "jobrequest.v1", body)
                            .thenRun(() -> {
                                try {
                                    router.basicAck(e.getDeliveryTag(), false);
                                } catch (IOException ex) {
                                    throw new java.io.UncheckedIOException(ex);
                                }
                            });
                }
            });
            Channel jobs64 = c.createChannel();
            jobs64.basicQos(64);
            jobs64.basicConsume(s.labelQueue("bench"), false, new DefaultConsumer(jobs64) {
                @Override
                public void handleDelivery(String tag, Envelope e, AMQP.BasicProperties p, byte[] body)
                        throws IOException {
                    getChannel().basicAck(e.getDeliveryTag(), false);
                    for (int i = 0; i < EVENTS_PER_JOB; i++) {
                        events.publish(s.resultExchange(), "jobstatus.v1", p.getMessageId(), "jobstatus.v1", body);
                    }
                    replies.publish(s.resultExchange(), s.resultRoutingKey(), p.getMessageId(), "jobresult.v1", body);
                }
            });
            double rate = counter.rate(jobs);
            routes.close();
            replies.close();
            events.close();
            return rate;
        } finally {
            RabbitMq.deleteTopology(s, "bench");
        }
    }

    static Process startDaemon(Path jar, AmqpSettings s, Path state, String... extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("java"));
        String javaOpts = System.getenv("BENCH_JAVA_OPTS");
        if (javaOpts != null && !javaOpts.isBlank()) {
            cmd.addAll(List.of(javaOpts.trim().split("\\s+")));
        }
        cmd.addAll(List.of("-jar", jar.toString(), "--hypervisor", "noop",
                "--config", "examples/orchestrator-image-map.yaml", "--state-dir", state.toString()));
        cmd.addAll(org.solstice.orchestrator.testing.DaemonProcess.amqpArguments(s));
        cmd.addAll(List.of(extra));
        String database = System.getenv("BENCH_DATABASE_URL");
        if (database != null && !database.isBlank()) {
            cmd.addAll(List.of("--database-url", database));
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(state.resolveSibling(state.getFileName() + ".log").toFile()).start();
    }

    /**
     * The daemon on 2 x {@code jobs} requests queued before it starts: the first {@code jobs} results are its cold
     * start (class loading, the JIT compiling as it goes), the next {@code jobs} the same daemon warmed up, as it
     * runs after its first minutes in service.
     *
     * @return {cold jobs/s, warm jobs/s}
     */
    static double[] daemon(Path jar, int jobs) throws Exception {
        AmqpSettings s = RabbitMq.uniqueSettings(64);
        load(s, 2 * jobs);
        String stateRoot = System.getenv("BENCH_STATE_ROOT");
        Path state = stateRoot == null || stateRoot.isBlank() ? Files.createTempDirectory("bench-state")
                : Files.createTempDirectory(Path.of(stateRoot), "bench-state");
        int oneByOne = 200;
        try (ResultCounter counter = new ResultCounter(s, 2 * jobs + oneByOne)) {
            Process p = startDaemon(jar, s, state, "--max-concurrency", "64", "--noop-run-time", "0s",
                    "--max-pending", "64");
            try {
                while (counter.received.get() < jobs) {
                    Thread.sleep(5);
                }
                double coldCpu = cpuSeconds(p.pid());
                while (counter.received.get() < 2 * jobs) {
                    Thread.sleep(5);
                }
                double[] rates = {counter.rate(0, jobs), counter.rate(jobs, 2 * jobs)};
                double warmCpu = cpuSeconds(p.pid()) - coldCpu;
                System.out.println(latency(s, counter, oneByOne));
                System.out.printf("daemon CPU per job: cold %.2f ms (start-up included), warm %.2f ms; %s%n",
                        coldCpu * 1000 / jobs, warmCpu * 1000 / jobs, routing());
                return rates;
            } finally {
                p.destroy();
                p.waitFor(60, TimeUnit.SECONDS);
            }
        } finally {
            RabbitMq.deleteTopology(s);
            deleteTree(state);
        }
    }

    /** Publish-to-result latency of {@code n} jobs sent one at a time to the idle, warm daemon. */
    static String latency(AmqpSettings s, ResultCounter counter, int n) throws Exception {
        List<Double> millis = new ArrayList<>();
        try (Connection c = RabbitMq.connect()) {
            ConfirmingPublisher publisher = new ConfirmingPublisher(c);
            for (int i = 0; i < n; i++) {
                int before = counter.received.get();
                JobRequest r = aRequest();
                long t0 = System.nanoTime();
                publisher.publish(s.jobExchange(), s.jobRoutingKey(), r.requestId().toString(), "jobrequest.v1",
                        JobMessageCodec.encodeRequest(r));
                while (counter.received.get() == before) {
                    Thread.onSpinWait();
                }
                millis.add((System.nanoTime() - t0) / 1e6);
                Thread.sleep(20); // the VM's teardown after its result
            }
            publisher.close();
        }
        millis.sort(null);
        return String.format("idle daemon, %d jobs one at a time, publish to result: median %.1f ms, p90 %.1f ms",
                n, millis.get(n / 2), millis.get(n * 9 / 10));
    }

    /** How the daemon's router handled the requests, from its /metrics (default port 9464). */
    static String routing() {
        try {
            String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:9464/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            StringBuilder out = new StringBuilder();
            for (String line : metrics.split("\n")) {
                if (line.startsWith("solstice_orchestrator_jobs_taken_directly_total")
                        || line.startsWith("solstice_orchestrator_jobs_routed_total")) {
                    String name = line.substring("solstice_orchestrator_".length(), line.indexOf('{'));
                    out.append(out.length() == 0 ? "" : ", ").append(name).append(' ')
                            .append(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return out.toString();
        } catch (IOException | InterruptedException e) {
            return "routing counters unavailable: " + e;
        }
    }

    /** User + system CPU time a process has used so far (Linux: /proc/PID/stat, in clock ticks of 10 ms). */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    static void memoryAndStartup(Path jar) throws Exception {
        AmqpSettings s = RabbitMq.uniqueSettings(2);
        load(s, 10_000);
        Path state = Files.createTempDirectory("bench-mem");
        long t0 = System.nanoTime();
        Process p = startDaemon(jar, s, state, "--max-concurrency", "2", "--noop-run-time", "10m");
        Path log = state.resolveSibling(state.getFileName() + ".log");
        try {
            while (!Files.readString(log).contains("ready in")) {
                Thread.sleep(10);
                if (!p.isAlive()) {
                    throw new IllegalStateException("daemon died: " + Files.readString(log));
                }
            }
            double startup = (System.nanoTime() - t0) / 1e6;
            Thread.sleep(10_000);
            long rssKb = 0;
            for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rssKb = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
            long waiting = RabbitMq.messageCount(s.jobQueue()) + RabbitMq.messageCount(s.labelQueue("illumos-latest"));
            System.out.printf("START-UP: %.0f ms from process start to consuming%n", startup);
            System.out.printf("MEMORY: resident %.1f MiB after 10 s with %d jobs waiting in the queue (target < 256 MiB)%n",
                    rssKb / 1024.0, waiting);
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
            RabbitMq.deleteTopology(s);
            deleteTree(state);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

}
