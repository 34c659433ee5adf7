package org.solstice.orchestrator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.solstice.orchestrator.e2e.TestImageMap;
import org.solstice.orchestrator.guest.BootstrapScript;
import org.solstice.orchestrator.hypervisor.libvirt.LibvirtTestEnvironment;
import org.solstice.orchestrator.messaging.AmqpSettings;
import org.solstice.orchestrator.messaging.JobClient;
import org.solstice.orchestrator.messaging.JobRequest;
import org.solstice.orchestrator.messaging.JobResult;
import org.solstice.orchestrator.testing.JobRequests;
import org.solstice.orchestrator.testing.RabbitMq;

/**
 * Issue #3's benchmark, run by bench/libvirt.sh: N jobs through the daemon (a real process, libvirt backend, test
 * image, one job at a time) and, interleaved in the same run, the same jobs through bench/libvirt-pipeline.sh.
 * The daemon's overheads come from its log (full timestamps: the production logback.xml) and from libvirt's
 * per-domain log, whose "shutting down" line dates the guest's power-off independently of the daemon's polling.
 *
 * <p>Arguments: [JOBS=5]. Needs root, libvirtd, the network solstice-test, RabbitMQ, target/testvm.
 */
public final class LibvirtBenchmark {
    private static final Duration RESULT_WAIT = Duration.ofMinutes(3);
    private static final Path LIBVIRT_LOGS = Path.of("/var/log/libvirt/qemu");
    private static final DateTimeFormatter LIBVIRT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSZ");

    /**
     * When libvirt saw a guest end, from its per-domain log (epoch ms, -1 when unreadable).
     *
     * @param powerOff   the guest powered off: libvirt then sends QEMU SIGTERM (QEMU logs "terminating on
     *                   signal 15 from ... (libvirtd)")
     * @param qemuExited QEMU has exited and libvirt stops the domain ("shutting down")
     */
    record GuestEnd(long powerOff, long qemuExited) {
        long qemuExit() {
            return powerOff < 0 || qemuExited < 0 ? -1 : qemuExited - powerOff;
        }
    }

    /** One daemon job: client-side instants (epoch ms), and what the logs say. */
    record DaemonRun(UUID id, long publishMs, long resultMs, long acceptedMs, long toStartMs, long provisionMs,
                     long startCallMs, long seenOffToPublishedMs, GuestEnd end) {
        long wall() {
            return resultMs - publishMs;
        }

        long ownStartOverhead() {
            return toStartMs - provisionMs - startCallMs;
        }

        /** Guest power-off to the result on the broker (its delivery to this client: within a millisecond). */
        long offToResult() {
            return end.powerOff() < 0 ? -1 : resultMs - end.powerOff();
        }

        /** QEMU gone (libvirt stopping the domain) to the result on the broker: what the daemon adds. */
        long ownEnd() {
            return end.qemuExited() < 0 ? -1 : resultMs - end.qemuExited();
        }

        /** QEMU gone until the daemon's poll saw the domain off. */
        long detection() {
            return end.qemuExited() < 0 ? -1 : resultMs - seenOffToPublishedMs - end.qemuExited();
        }
    }

    /** One pipeline job, epoch milliseconds from bench/libvirt-pipeline.sh. */
    record PipelineRun(String name, long t0, long started, long gone, long done, GuestEnd end) {
        long wall() {
            return done - t0;
        }
    }

    private final Path dir;
    private final Path userData;
    private final Path image;
    private final AmqpSettings amqp = RabbitMq.uniqueSettings(1);
    private Process daemon;
    private Path daemonLog;

    private LibvirtBenchmark(Path dir, Path image) {
        this.dir = dir;
        this.image = image;
        this.userData = dir.resolve("user-data");
    }

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        LibvirtTestEnvironment.requireLibvirt();
        Path dir = Files.createTempDirectory("bench-libvirt");
        TestImageMap map = TestImageMap.write(dir);
        Path image = dir.resolve("images").resolve(TestImageMap.LABEL + ".qcow2");
        LibvirtBenchmark bench = new LibvirtBenchmark(dir, image);
        System.out.printf("machine: %d cores, load average before: %s%n", Runtime.getRuntime().availableProcessors(),
                loadAverage());
        try {
            bench.startDaemon(map);
            bench.run(jobs);
        } finally {
            bench.stopDaemon();
            RabbitMq.deleteTopology(bench.amqp);
            ThroughputBenchmark.deleteTree(dir);
        }
        System.out.printf("load average after: %s%n", loadAverage());
    }

    private void startDaemon(TestImageMap map) throws Exception {
        daemonLog = dir.resolve("daemon.log");
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dlogback.configurationFile=" + Path.of("src/main/resources/logback.xml").toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), "org.solstice.orchestrator.Main",
                "--config", map.file().toString(), "--hypervisor", "libvirt",
                "--libvirt-uri", LibvirtTestEnvironment.URI, "--libvirt-network", LibvirtTestEnvironment.NETWORK,
                "--state-dir", dir.resolve("state").toString(), "--instance-id", "bench-" + amqp.jobQueue(),
                "--max-concurrency", "1"));
        command.addAll(org.solstice.orchestrator.testing.DaemonProcess.amqpArguments(amqp));
        daemon = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(daemonLog.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(daemonLog).contains("ready in")) {
            if (!daemon.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the daemon did not start:\n" + Files.readString(daemonLog));
            }
            Thread.sleep(50);
        }
    }

    private void stopDaemon() throws InterruptedException {
        if (daemon != null && daemon.isAlive()) {
            daemon.destroy();
            if (!daemon.waitFor(60, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
            }
        }
    }

    private void run(int jobs) throws Exception {
        List<DaemonRun> daemonRuns = new ArrayList<>();
        List<PipelineRun> pipelineRuns = new ArrayList<>();
        try (JobClient client = new JobClient(amqp)) {
            client.watchResults();
            DaemonRun warmDaemon = daemonJob(client);
            PipelineRun warmPipeline = pipelineJob();
            System.out.printf("warm-up (not counted): daemon %d ms, pipeline %d ms%n", warmDaemon.wall(),
                    warmPipeline.wall());
            for (int i = 0; i < jobs; i++) {
                if (i % 2 == 0) { // alternate the order so neither side always runs right after the other
                    pipelineRuns.add(pipelineJob());
                    daemonRuns.add(daemonJob(client));
                } else {
                    daemonRuns.add(daemonJob(client));
                    pipelineRuns.add(pipelineJob());
                }
                System.out.printf("job %d: daemon %d ms, pipeline %d ms%n", i + 1, daemonRuns.get(i).wall(),
                        pipelineRuns.get(i).wall());
            }
        }
        report(daemonRuns, pipelineRuns);
    }

    private DaemonRun daemonJob(JobClient client) throws Exception {
        JobRequest job = JobRequests.aJob().runsOn(TestImageMap.LABEL).workflowJobId("exit-0").build();
        long publishMs = System.currentTimeMillis();
        client.publish(job);
        JobResult result = client.awaitResult(job.requestId(), RESULT_WAIT)
                .orElseThrow(() -> new IllegalStateException("no result for " + job.requestId()));
        long resultMs = System.currentTimeMillis();
        if (!result.success()) {
            throw new IllegalStateException("daemon job failed: " + result.summary());
        }
        String id = job.requestId().toString();
        String log = awaitLogLine(id, "result published");
        Matcher started = find(log, "^(\\S+) .*job " + id + ": VM \\S+ started (\\d+) ms after the job was accepted"
                + " \\(provisioning (\\d+) ms, start (\\d+) ms\\)");
        Matcher accepted = find(log, "^(\\S+) .*job " + id + ": accepted:");
        Matcher published = find(log, "job " + id + ": result published .* (\\d+) ms after the guest was seen off");
        return new DaemonRun(job.requestId(), publishMs, resultMs, epochMs(accepted.group(1)),
                Long.parseLong(started.group(2)), Long.parseLong(started.group(3)), Long.parseLong(started.group(4)),
                Long.parseLong(published.group(1)), guestEnd("job-" + id));
    }

    private PipelineRun pipelineJob() throws Exception {
        String name = "bench-pipeline-" + UUID.randomUUID();
        JobRequest job = JobRequests.aJob().runsOn(TestImageMap.LABEL).workflowJobId("exit-0").build();
        Files.writeString(userData, BootstrapScript.render(job, TestImageMap.LABEL, TestImageMap.JOB_SCRIPT));
        Path out = dir.resolve("pipeline.out");
        Process p = new ProcessBuilder("bench/libvirt-pipeline.sh", name, image.toString(), userData.toString(),
                LibvirtTestEnvironment.URI, LibvirtTestEnvironment.NETWORK)
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(RESULT_WAIT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("the pipeline did not finish within " + RESULT_WAIT);
        }
        String text = Files.readString(out);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("the pipeline failed (" + p.exitValue() + "):\n" + text);
        }
        Matcher m = find(text, "PIPELINE name=\\S+ t0_ms=(\\d+) started_ms=(\\d+) gone_ms=(\\d+) done_ms=(\\d+)");
        return new PipelineRun(name, Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                Long.parseLong(m.group(3)), Long.parseLong(m.group(4)), guestEnd(name));
    }

    private static GuestEnd guestEnd(String domain) throws IOException {
        Path log = LIBVIRT_LOGS.resolve(domain + ".log");
        if (!Files.isReadable(log)) {
            return new GuestEnd(-1, -1);
        }
        String text = Files.readString(log);
        Matcher term = Pattern.compile("(?m)^(\\S+Z) qemu-system-\\S+: terminating on signal 15 from .*\\(libvirtd\\)")
                .matcher(text);
        Matcher stop = Pattern.compile("(?m)^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d{4}):"
                + " shutting down").matcher(text);
        return new GuestEnd(term.find() ? Instant.parse(term.group(1)).toEpochMilli() : -1,
                stop.find() ? OffsetDateTime.parse(stop.group(1), LIBVIRT_TIME).toInstant().toEpochMilli() : -1);
    }

    private String awaitLogLine(String id, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            String log = Files.readString(daemonLog);
            if (log.contains("job " + id + ": " + text) || System.nanoTime() > deadline) {
                return log;
            }
            Thread.sleep(20);
        }
    }

    private static Matcher find(String text, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no line matching " + regex);
        }
        return m;
    }

    private static long epochMs(String logTimestamp) {
        return OffsetDateTime.parse(logTimestamp).toInstant().toEpochMilli();
    }

    private static void report(List<DaemonRun> daemon, List<PipelineRun> pipeline) {
        System.out.println();
        System.out.println("| job | pipeline wall ms | daemon wall ms | ratio | daemon: accepted→VM started"
                + " (provisioning + start call + own) | daemon: power-off→result (QEMU exit + detection +"
                + " seen off→published) |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        for (int i = 0; i < daemon.size(); i++) {
            DaemonRun d = daemon.get(i);
            PipelineRun p = pipeline.get(i);
            System.out.printf(Locale.ROOT, "| %d | %d | %d | %.3f | %d (%d + %d + %d) | %d (%d + %d + %d) |%n", i + 1,
                    p.wall(), d.wall(), (double) d.wall() / p.wall(), d.toStartMs(), d.provisionMs(),
                    d.startCallMs(), d.ownStartOverhead(), d.offToResult(), d.end().qemuExit(), d.detection(),
                    d.seenOffToPublishedMs());
        }
        long pWall = median(pipeline, PipelineRun::wall);
        long dWall = median(daemon, DaemonRun::wall);
        System.out.println();
        System.out.printf(Locale.ROOT, "MEDIAN wall: pipeline %d ms, daemon %d ms, ratio %.3f (target <= 1.05)%n",
                pWall, dWall, (double) dWall / pWall);
        System.out.printf("MEDIAN pipeline: start to `virsh create` returned %d ms; guest power-off to QEMU exited"
                        + " %d ms; QEMU exited to domain seen gone %d ms; to files removed %d ms%n",
                median(pipeline, p -> p.started() - p.t0()), median(pipeline, p -> p.end().qemuExit()),
                median(pipeline, p -> p.end().qemuExited() < 0 ? -1 : p.gone() - p.end().qemuExited()),
                median(pipeline, p -> p.end().qemuExited() < 0 ? -1 : p.done() - p.end().qemuExited()));
        System.out.printf("MEDIAN daemon start: publish to accepted %d ms; accepted to VM started %d ms, of which"
                        + " provisioning %d ms, start call %d ms, the daemon's own %d ms (target < 100 ms)%n",
                median(daemon, d -> d.acceptedMs() - d.publishMs()), median(daemon, DaemonRun::toStartMs),
                median(daemon, DaemonRun::provisionMs), median(daemon, DaemonRun::startCallMs),
                median(daemon, DaemonRun::ownStartOverhead));
        System.out.printf("MEDIAN daemon end: guest power-off to JobResult published %d ms (target < 100 ms), of"
                        + " which QEMU's exit %d ms, then the daemon's own %d ms: detection %d ms, seen off to"
                        + " published %d ms%n",
                median(daemon, DaemonRun::offToResult), median(daemon, d -> d.end().qemuExit()),
                median(daemon, DaemonRun::ownEnd), median(daemon, DaemonRun::detection),
                median(daemon, DaemonRun::seenOffToPublishedMs));
    }

    private static String loadAverage() throws IOException {
        return String.join(" ", List.of(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
    }

    private static <T> long median(List<T> runs, ToLongFunction<T> value) {
        long[] values = runs.stream().mapToLong(value).sorted().toArray();
        return values[values.length / 2];
    }
}
