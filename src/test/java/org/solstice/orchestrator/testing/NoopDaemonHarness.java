package org.solstice.orchestrator.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.solstice.orchestrator.daemon.Daemon;
import org.solstice.orchestrator.daemon.DaemonConfig;
import org.solstice.orchestrator.hypervisor.noop.NoopHypervisor;
import org.solstice.orchestrator.hypervisor.noop.NoopProvider;
import org.solstice.orchestrator.messaging.AmqpSettings;
import org.solstice.orchestrator.messaging.JobClient;

/** A daemon on the noop backend against the real broker, with topology names of its own. */
public final class NoopDaemonHarness implements AutoCloseable {
    public static final String MAP = """
            default_label: linux
            aliases:
              linux: ubuntu-22.04
            images:
              ubuntu-22.04:
                source: file:///nonexistent/ubuntu.qcow2
                local_path: ubuntu.qcow2
              illumos:
                source: file:///nonexistent/oi.img
                local_path: oi.img
            """;

    private final Path dir;
    private AmqpSettings amqp;
    private int maxConcurrency = 2;
    private Integer maxPending;
    private String capacityMap = "";
    private Duration runTime = Duration.ofMillis(200);
    private Duration drainTimeout = Duration.ofSeconds(30);
    private boolean prepareImages;
    private Daemon daemon;
    private String databaseUrl;
    private java.net.URI daemonUri;
    private org.solstice.orchestrator.messaging.BrokerSecurity daemonSecurity =
            org.solstice.orchestrator.messaging.BrokerSecurity.none();
    private JobClient client;
    private org.solstice.orchestrator.ops.OpsSettings ops = org.solstice.orchestrator.ops.OpsSettings.httpOff();

    public NoopDaemonHarness(Path dir) {
        this.dir = dir;
        this.amqp = RabbitMq.uniqueSettings(1);
    }

    public NoopDaemonHarness maxConcurrency(int n) {
        maxConcurrency = n;
        return this;
    }

    public NoopDaemonHarness maxPending(int n) {
        maxPending = n;
        return this;
    }

    public NoopDaemonHarness capacityMap(String value) {
        capacityMap = value;
        return this;
    }

    public NoopDaemonHarness runTime(Duration value) {
        runTime = value;
        return this;
    }

    /** Where the daemon (not the test's client) connects, e.g. through a {@link TcpProxy}. */
    public NoopDaemonHarness daemonAmqpUri(java.net.URI uri) {
        daemonUri = uri;
        return this;
    }

    /** TLS options and credentials of the daemon's connection (with {@link #daemonAmqpUri}). */
    public NoopDaemonHarness daemonBrokerSecurity(org.solstice.orchestrator.messaging.BrokerSecurity security) {
        daemonSecurity = security;
        return this;
    }

    /** A JDBC URL for the job store; default: embedded H2 in the state directory. */
    /** Per-label queues of this type (quorum with the delivery limit). */
    public NoopDaemonHarness queueType(AmqpSettings.QueueType type, int deliveryLimit) {
        amqp = amqp.withQueueType(type, deliveryLimit);
        return this;
    }

    public NoopDaemonHarness databaseUrl(String value) {
        databaseUrl = value;
        return this;
    }

    /** Operations settings, e.g. {@code OpsSettings.defaults().withHttpPort(0)} for an HTTP listener. */
    public NoopDaemonHarness ops(org.solstice.orchestrator.ops.OpsSettings value) {
        ops = value;
        return this;
    }

    public NoopDaemonHarness drainTimeout(Duration value) {
        drainTimeout = value;
        return this;
    }

    /** The daemon prepares each image of the map (from its source) and jobs wait for it, as on libvirt. */
    public NoopDaemonHarness prepareImages() {
        prepareImages = true;
        return this;
    }

    public Path dir() {
        return dir;
    }

    public Path imageMap() throws IOException {
        Path map = dir.resolve("map.yaml");
        if (!Files.exists(map)) {
            Files.writeString(map, MAP);
        }
        return map;
    }

    public DaemonConfig config() throws IOException {
        amqp = amqp.withPrefetch(maxConcurrency);
        return DaemonConfig.builder()
                .imageMapFile(imageMap())
                .maxConcurrency(maxConcurrency)
                .capacityMap(capacityMap)
                .maxPending(maxPending == null ? maxConcurrency : maxPending)
                .amqp(daemonUri == null ? amqp : amqp.withUri(daemonUri))
                .hypervisor(NoopHypervisor.NAME)
                .backendOption(NoopHypervisor.NAME, NoopProvider.RUN_TIME, runTime)
                .backendOption(NoopHypervisor.NAME, NoopProvider.PREPARE_IMAGES, String.valueOf(prepareImages))
                .stateDir(dir.resolve("state"))
                .instanceId("test-instance")
                .drainTimeout(drainTimeout)
                .jobTimeout(Duration.ofMinutes(5))
                .shutdownTimeout(Duration.ofSeconds(5))
                .imageParallelism(1)
                .databaseUrl(databaseUrl)
                .maxAttempts(3)
                .reconcileInterval(Duration.ofSeconds(2))
                .ops(ops)
                .brokerSecurity(daemonSecurity)
                .build();
    }

    public Daemon start() throws Exception {
        daemon = new Daemon(config());
        daemon.start();
        return daemon;
    }

    public AmqpSettings amqp() {
        return amqp;
    }

    /** A publisher that already watches results. */
    public JobClient client() {
        if (client == null) {
            client = new JobClient(amqp);
            client.watchResults();
        }
        return client;
    }

    public Daemon daemon() {
        return daemon;
    }

    @Override
    public void close() {
        if (daemon != null) {
            daemon.shutdown();
        }
        if (client != null) {
            client.close();
        }
        RabbitMq.deleteTopology(amqp);
    }

    /** The job as the daemon's store has it, read through what operations read (its recent jobs). */
    public java.util.Optional<org.solstice.orchestrator.store.JobRecord> storedJob(java.util.UUID id) {
        return daemon.state().recentJobs(10_000).stream().filter(j -> j.requestId().equals(id)).findFirst();
    }
}
