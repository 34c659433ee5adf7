package org.solstice.orchestrator.daemon;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.solstice.orchestrator.messaging.AmqpSettings;
import org.solstice.orchestrator.messaging.BrokerSecurity;

/**
 * Everything the daemon is assembled from: plain values, filled by the CLI (or by tests directly).
 *
 * @param capacityMap       raw {@code label=N,...}; validated against the image map at start-up
 * @param maxPending        accepted jobs held before they start (the rest stays in the broker)
 * @param drainTimeout      on SIGTERM, how long running jobs may go on before their VMs are stopped
 * @param jobTimeout        default job run-time limit (images may override)
 * @param shutdownTimeout   how long a guest gets after the ACPI request before it is destroyed
 * @param noopRunTime       how long a noop "VM" runs
 * @param libvirtDomainType null to choose (kvm when /dev/kvm exists, else qemu)
 * @param databaseUrl       job store: postgres://..., a JDBC URL, or null for embedded H2 under the state dir
 * @param maxAttempts       how often a job whose VM died with the orchestrator is run again
 * @param reconcileInterval how often leaked VMs, orphan files and unpublished results are looked for
 * @param ops               HTTP listener (metrics, health, API) and job-log retention
 * @param brokerSecurity    TLS options and credentials overriding the broker URL's
 */
public record DaemonConfig(
        Path imageMapFile,
        int maxConcurrency,
        String capacityMap,
        int maxPending,
        AmqpSettings amqp,
        HypervisorChoice hypervisor,
        String libvirtUri,
        String libvirtNetwork,
        String libvirtDomainType,
        Path stateDir,
        String instanceId,
        Duration drainTimeout,
        Duration jobTimeout,
        Duration shutdownTimeout,
        Duration noopRunTime,
        boolean failOnImageError,
        int imageParallelism,
        String databaseUrl,
        int maxAttempts,
        Duration reconcileInterval,
        ZonesSettings zones,
        org.solstice.orchestrator.ops.OpsSettings ops,
        BrokerSecurity brokerSecurity) {

    /** Without broker security options: no TLS options, credentials from the URL. */
    public DaemonConfig(Path imageMapFile, int maxConcurrency, String capacityMap, int maxPending, AmqpSettings amqp,
                        HypervisorChoice hypervisor, String libvirtUri, String libvirtNetwork,
                        String libvirtDomainType, Path stateDir, String instanceId, Duration drainTimeout,
                        Duration jobTimeout, Duration shutdownTimeout, Duration noopRunTime, boolean failOnImageError,
                        int imageParallelism, String databaseUrl, int maxAttempts, Duration reconcileInterval,
                        ZonesSettings zones, org.solstice.orchestrator.ops.OpsSettings ops) {
        this(imageMapFile, maxConcurrency, capacityMap, maxPending, amqp, hypervisor, libvirtUri, libvirtNetwork,
                libvirtDomainType, stateDir, instanceId, drainTimeout, jobTimeout, shutdownTimeout, noopRunTime,
                failOnImageError, imageParallelism, databaseUrl, maxAttempts, reconcileInterval, zones, ops,
                BrokerSecurity.none());
    }

    /** Without operations settings: no HTTP listener, default log retention. */
    public DaemonConfig(Path imageMapFile, int maxConcurrency, String capacityMap, int maxPending, AmqpSettings amqp,
                        HypervisorChoice hypervisor, String libvirtUri, String libvirtNetwork,
                        String libvirtDomainType, Path stateDir, String instanceId, Duration drainTimeout,
                        Duration jobTimeout, Duration shutdownTimeout, Duration noopRunTime, boolean failOnImageError,
                        int imageParallelism, String databaseUrl, int maxAttempts, Duration reconcileInterval,
                        ZonesSettings zones) {
        this(imageMapFile, maxConcurrency, capacityMap, maxPending, amqp, hypervisor, libvirtUri, libvirtNetwork,
                libvirtDomainType, stateDir, instanceId, drainTimeout, jobTimeout, shutdownTimeout, noopRunTime,
                failOnImageError, imageParallelism, databaseUrl, maxAttempts, reconcileInterval, zones,
                org.solstice.orchestrator.ops.OpsSettings.httpOff());
    }

    /** The same configuration with other operations settings. */
    public DaemonConfig withOps(org.solstice.orchestrator.ops.OpsSettings newOps) {
        return new DaemonConfig(imageMapFile, maxConcurrency, capacityMap, maxPending, amqp, hypervisor, libvirtUri,
                libvirtNetwork, libvirtDomainType, stateDir, instanceId, drainTimeout, jobTimeout, shutdownTimeout,
                noopRunTime, failOnImageError, imageParallelism, databaseUrl, maxAttempts, reconcileInterval, zones,
                newOps, brokerSecurity);
    }

    /** The same configuration with TLS options and credentials for the broker. */
    public DaemonConfig withBrokerSecurity(BrokerSecurity security) {
        return new DaemonConfig(imageMapFile, maxConcurrency, capacityMap, maxPending, amqp, hypervisor, libvirtUri,
                libvirtNetwork, libvirtDomainType, stateDir, instanceId, drainTimeout, jobTimeout, shutdownTimeout,
                noopRunTime, failOnImageError, imageParallelism, databaseUrl, maxAttempts, reconcileInterval, zones,
                ops, security);
    }

    /** The zones backend's host settings (used only when the zones backend runs). */
    public record ZonesSettings(String physicalLink, String imagesDataset, String jobsDataset, Path zonepathRoot) {
        public static ZonesSettings defaults() {
            return new ZonesSettings(null, "rpool/solstice/images", "rpool/solstice/jobs", Path.of("/zones/solstice"));
        }
    }

    public DaemonConfig {
        Objects.requireNonNull(imageMapFile, "imageMapFile");
        Objects.requireNonNull(amqp, "amqp");
        Objects.requireNonNull(hypervisor, "hypervisor");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(ops, "ops");
        Objects.requireNonNull(brokerSecurity, "brokerSecurity");
        brokerSecurity.checkAgainst(amqp.uri());
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("--max-concurrency must be at least 1, was " + maxConcurrency);
        }
        if (!instanceId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            throw new IllegalArgumentException("--instance-id must be 1 to 63 letters, digits, '.', '_' or '-', was '"
                    + instanceId + "'");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("--max-attempts must be at least 1, was " + maxAttempts);
        }
        if (maxPending < 1) {
            throw new IllegalArgumentException("--max-pending must be at least 1, was " + maxPending);
        }
    }
}
