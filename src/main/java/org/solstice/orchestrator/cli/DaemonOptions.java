package org.solstice.orchestrator.cli;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.solstice.orchestrator.daemon.DaemonConfig;
import org.solstice.orchestrator.hypervisor.Backends;
import org.solstice.orchestrator.hypervisor.HypervisorException;
import org.solstice.orchestrator.ops.OpsSettings;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The daemon's options; each one also reads an environment variable. Turned into a {@link DaemonConfig}. The
 * backend options ({@code --libvirt-*}, {@code --noop-*}, {@code --zones-*}) take their defaults from the backend
 * (see {@link BackendDefaults}, set on the commands that mix these options in).
 */
public class DaemonOptions {
    @Option(names = "--config", paramLabel = "FILE",
            defaultValue = "${env:ORCH_CONFIG:-examples/orchestrator-image-map.yaml}",
            description = "Image map (YAML) (env ORCH_CONFIG; default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--max-concurrency", paramLabel = "N", defaultValue = "${env:MAX_CONCURRENCY:-2}",
            description = "Jobs provisioning or running at once on this host (env MAX_CONCURRENCY; default: ${DEFAULT-VALUE}).")
    int maxConcurrency;

    @Option(names = "--capacity-map", paramLabel = "LABEL=N,...", defaultValue = "${env:CAPACITY_MAP:-}",
            description = "Per-label job limits, e.g. illumos-latest=2,ubuntu-22.04=4 (env CAPACITY_MAP; default: none).")
    String capacityMap;

    @Option(names = "--amqp-prefetch", paramLabel = "N", defaultValue = "${env:AMQP_PREFETCH}",
            description = "Unacknowledged deliveries in flight (env AMQP_PREFETCH; default: --max-concurrency).")
    Integer prefetch;

    @Option(names = "--queue-type", paramLabel = "TYPE", defaultValue = "${env:QUEUE_TYPE:-classic}",
            description = "Type of the per-label job queues: classic or quorum (env QUEUE_TYPE; default:"
                    + " ${DEFAULT-VALUE}).")
    String queueType;

    @Option(names = "--delivery-limit", paramLabel = "N",
            defaultValue = "${env:DELIVERY_LIMIT:-" + org.solstice.orchestrator.messaging.AmqpSettings.DEFAULT_DELIVERY_LIMIT + "}",
            description = "Quorum queues: deliveries of one message before the broker dead-letters it (env"
                    + " DELIVERY_LIMIT; default: ${DEFAULT-VALUE}).")
    int deliveryLimit;

    @Option(names = "--max-pending", paramLabel = "N", defaultValue = "${env:MAX_PENDING:-1}",
            description = "Accepted jobs held here per image before they start; the rest waits in the broker for"
                    + " any host (env MAX_PENDING; default: ${DEFAULT-VALUE}).")
    int maxPending;

    @Option(names = "--hypervisor", paramLabel = "KIND", defaultValue = "${env:HYPERVISOR:-auto}",
            description = "auto, libvirt, zones or noop. auto: libvirt on Linux when it answers, zones on illumos,"
                    + " else noop with a warning (env HYPERVISOR; default: ${DEFAULT-VALUE}).")
    String hypervisor;

    @Option(names = "--libvirt-uri", paramLabel = "URI", defaultValue = "${env:LIBVIRT_URI}",
            description = "libvirt connection (env LIBVIRT_URI; default: ${DEFAULT-VALUE}).")
    String libvirtUri;

    @Option(names = "--libvirt-network", paramLabel = "NAME", defaultValue = "${env:LIBVIRT_NETWORK}",
            description = "libvirt network for job VMs (env LIBVIRT_NETWORK; default: ${DEFAULT-VALUE}).")
    String libvirtNetwork;

    @Option(names = "--libvirt-domain-type", paramLabel = "TYPE", defaultValue = "${env:LIBVIRT_DOMAIN_TYPE}",
            description = "kvm or qemu (env LIBVIRT_DOMAIN_TYPE; default: kvm when /dev/kvm exists, else qemu).")
    String libvirtDomainType;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "${env:STATE_DIR:-/var/lib/solstice-orchestrator}",
            description = "Per-job files (overlays, seeds, console logs) (env STATE_DIR; default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--instance-id", paramLabel = "ID", defaultValue = "${env:INSTANCE_ID}",
            description = "This orchestrator's identity in VM tags and logs (env INSTANCE_ID; default: the host name).")
    String instanceId;

    @Option(names = "--drain-timeout", paramLabel = "DURATION", defaultValue = "${env:DRAIN_TIMEOUT:-10m}",
            converter = DurationConverter.class,
            description = "On SIGTERM, how long running jobs may go on before they are cancelled (env DRAIN_TIMEOUT; default: ${DEFAULT-VALUE}).")
    Duration drainTimeout;

    @Option(names = "--job-timeout", paramLabel = "DURATION", defaultValue = "${env:JOB_TIMEOUT:-1h}",
            converter = DurationConverter.class,
            description = "Default job time limit; an image may set its own (env JOB_TIMEOUT; default: ${DEFAULT-VALUE}).")
    Duration jobTimeout;

    @Option(names = "--shutdown-timeout", paramLabel = "DURATION", defaultValue = "${env:SHUTDOWN_TIMEOUT:-60s}",
            converter = DurationConverter.class,
            description = "How long a guest gets to power off after the ACPI request before it is destroyed (env SHUTDOWN_TIMEOUT; default: ${DEFAULT-VALUE}).")
    Duration shutdownTimeout;

    @Option(names = "--noop-run-time", paramLabel = "DURATION", defaultValue = "${env:NOOP_RUN_TIME}",
            converter = DurationConverter.class,
            description = "How long a noop-backend job 'runs' (env NOOP_RUN_TIME; default: ${DEFAULT-VALUE}).")
    Duration noopRunTime;

    @Option(names = "--fail-on-image-error", defaultValue = "${env:FAIL_ON_IMAGE_ERROR:-false}",
            description = "Refuse to start when any image cannot be prepared (env FAIL_ON_IMAGE_ERROR; default: ${DEFAULT-VALUE}).")
    boolean failOnImageError;

    @Option(names = "--image-parallelism", paramLabel = "N", defaultValue = "${env:IMAGE_PARALLELISM:-2}",
            description = "Images prepared at once in the background (env IMAGE_PARALLELISM; default: ${DEFAULT-VALUE}).")
    int imageParallelism;

    @Option(names = "--database-url", paramLabel = "URL", defaultValue = "${env:DATABASE_URL}",
            description = "Job store: postgres://user:pass@host:5432/db or a JDBC URL (env DATABASE_URL; default:"
                    + " an embedded H2 database in the state directory).")
    String databaseUrl;

    @Option(names = "--max-attempts", paramLabel = "N", defaultValue = "${env:MAX_ATTEMPTS:-3}",
            description = "How often a job whose VM died with the orchestrator is run again (env MAX_ATTEMPTS;"
                    + " default: ${DEFAULT-VALUE}).")
    int maxAttempts;

    @Option(names = "--reconcile-interval", paramLabel = "DURATION", defaultValue = "${env:RECONCILE_INTERVAL:-60s}",
            converter = DurationConverter.class,
            description = "How often leaked VMs, orphan files and unpublished results are looked for (env"
                    + " RECONCILE_INTERVAL; default: ${DEFAULT-VALUE}).")
    Duration reconcileInterval;

    @Option(names = "--zones-link", paramLabel = "LINK", defaultValue = "${env:ZONES_LINK}",
            description = "zones backend: physical link the jobs' VNICs go over, e.g. igb0 (env ZONES_LINK).")
    String zonesLink;

    @Option(names = "--zones-images-dataset", paramLabel = "DATASET",
            defaultValue = "${env:ZONES_IMAGES_DATASET}",
            description = "zones backend: dataset holding the image volumes (env ZONES_IMAGES_DATASET; default: ${DEFAULT-VALUE}).")
    String zonesImagesDataset;

    @Option(names = "--zones-jobs-dataset", paramLabel = "DATASET",
            defaultValue = "${env:ZONES_JOBS_DATASET}",
            description = "zones backend: dataset holding the jobs' clones (env ZONES_JOBS_DATASET; default: ${DEFAULT-VALUE}).")
    String zonesJobsDataset;

    @Option(names = "--zones-root", paramLabel = "DIR", defaultValue = "${env:ZONES_ROOT}",
            description = "zones backend: directory the zonepaths are created under (env ZONES_ROOT; default: ${DEFAULT-VALUE}).")
    Path zonesRoot;

    @Option(names = "--http-address", paramLabel = "ADDRESS", defaultValue = "${env:HTTP_ADDRESS:-127.0.0.1}",
            description = "Address of the HTTP listener for /metrics, /healthz, /readyz and /api (env HTTP_ADDRESS;"
                    + " default: ${DEFAULT-VALUE}).")
    String httpAddress;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:HTTP_PORT:-9464}",
            description = "Its port; 0 picks a free one, -1 turns the listener off (env HTTP_PORT; default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--log-retention", paramLabel = "DURATION", defaultValue = "${env:LOG_RETENTION:-14d}",
            converter = DurationConverter.class,
            description = "Finished jobs' console logs (<state-dir>/logs) older than this are deleted (env"
                    + " LOG_RETENTION; default: ${DEFAULT-VALUE}).")
    Duration logRetention;

    @Option(names = "--admin-token-file", paramLabel = "FILE", defaultValue = "${env:ADMIN_TOKEN_FILE}",
            description = "A file holding the web console's admin token: with it, its actions (cancel a job) are"
                    + " allowed to whoever sends the token; without it the console is read-only (env"
                    + " ADMIN_TOKEN_FILE; default: none).")
    Path adminTokenFile;

    @Mixin
    AmqpOptions amqp = new AmqpOptions();

    public DaemonConfig toConfig() {
        if (maxPending < 1) {
            throw new IllegalArgumentException("--max-pending / MAX_PENDING must be at least 1, was " + maxPending);
        }
        int pending = maxPending;
        int effectivePrefetch = prefetch == null ? maxConcurrency : prefetch;
        org.solstice.orchestrator.messaging.AmqpSettings.QueueType type;
        try {
            type = org.solstice.orchestrator.messaging.AmqpSettings.QueueType.parse(queueType);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--queue-type / QUEUE_TYPE: " + e.getMessage());
        }
        if (deliveryLimit < 1) {
            throw new IllegalArgumentException("--delivery-limit / DELIVERY_LIMIT must be at least 1, was "
                    + deliveryLimit);
        }
        return DaemonConfig.builder()
                .imageMapFile(config)
                .maxConcurrency(maxConcurrency)
                .capacityMap(capacityMap)
                .maxPending(pending)
                .amqp(amqp.toSettings(effectivePrefetch).withQueueType(type, deliveryLimit))
                .hypervisor(hypervisorChoice())
                .backendOption("libvirt", "uri", libvirtUri)
                .backendOption("libvirt", "network", libvirtNetwork)
                .backendOption("libvirt", "domain-type", libvirtDomainType)
                .backendOption("noop", "run-time", noopRunTime)
                .backendOption("zones", "link", zonesLink)
                .backendOption("zones", "images-dataset", zonesImagesDataset)
                .backendOption("zones", "jobs-dataset", zonesJobsDataset)
                .backendOption("zones", "root", zonesRoot)
                .stateDir(stateDir)
                .instanceId(instanceId == null || instanceId.isBlank() ? hostName() : instanceId)
                .drainTimeout(drainTimeout)
                .jobTimeout(jobTimeout)
                .shutdownTimeout(shutdownTimeout)
                .failOnImageError(failOnImageError)
                .imageParallelism(imageParallelism)
                .databaseUrl(databaseUrl)
                .maxAttempts(maxAttempts)
                .reconcileInterval(reconcileInterval)
                .ops(new OpsSettings(httpAddress, httpPort, logRetention, adminTokenFile))
                .brokerSecurity(amqp.toSecurity())
                .build();
    }

    private String hypervisorChoice() {
        try {
            return Backends.discover().choice(hypervisor);
        } catch (HypervisorException e) {
            throw new IllegalArgumentException(e.getMessage() + " (env HYPERVISOR)", e);
        }
    }

    static String hostName() {
        try {
            java.nio.file.Path kernel = java.nio.file.Path.of("/proc/sys/kernel/hostname");
            if (java.nio.file.Files.isReadable(kernel)) {
                String name = java.nio.file.Files.readString(kernel).trim();
                if (!name.isEmpty()) {
                    return name;
                }
            }
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "orchestrator" : env;
        }
    }
}
