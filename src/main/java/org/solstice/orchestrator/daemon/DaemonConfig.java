package org.solstice.orchestrator.daemon;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.solstice.orchestrator.hypervisor.BackendOptions;
import org.solstice.orchestrator.hypervisor.Backends;
import org.solstice.orchestrator.messaging.AmqpSettings;
import org.solstice.orchestrator.messaging.BrokerSecurity;
import org.solstice.orchestrator.ops.OpsSettings;

/**
 * Everything the daemon is assembled from: plain values, filled by the CLI (or by tests) through
 * {@link #builder()}. The builder's defaults are the daemon's defaults, except that the HTTP listener is off
 * unless {@link Builder#ops} says otherwise.
 *
 * @param capacityMap       raw {@code label=N,...}; validated against the image map at start-up
 * @param maxPending        accepted jobs held before they start (the rest stays in the broker)
 * @param hypervisor        the backend's name, or {@code auto} to let the host decide (see {@link Backends})
 * @param backendOptions    the operator's settings for each backend; each backend defaults the rest
 * @param drainTimeout      on SIGTERM, how long running jobs may go on before their VMs are stopped
 * @param jobTimeout        default job run-time limit (images may override)
 * @param shutdownTimeout   how long a guest gets after the ACPI request before it is destroyed
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
        String hypervisor,
        BackendOptions backendOptions,
        Path stateDir,
        String instanceId,
        Duration drainTimeout,
        Duration jobTimeout,
        Duration shutdownTimeout,
        boolean failOnImageError,
        int imageParallelism,
        String databaseUrl,
        int maxAttempts,
        Duration reconcileInterval,
        OpsSettings ops,
        BrokerSecurity brokerSecurity) {

    public DaemonConfig {
        Objects.requireNonNull(imageMapFile, "imageMapFile");
        Objects.requireNonNull(amqp, "amqp");
        Objects.requireNonNull(hypervisor, "hypervisor");
        Objects.requireNonNull(backendOptions, "backendOptions");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(jobTimeout, "jobTimeout");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        Objects.requireNonNull(reconcileInterval, "reconcileInterval");
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

    /** A configuration with every value at its default; the image map, broker and instance id must be set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        return new Builder()
                .imageMapFile(imageMapFile)
                .maxConcurrency(maxConcurrency)
                .capacityMap(capacityMap)
                .maxPending(maxPending)
                .amqp(amqp)
                .hypervisor(hypervisor)
                .backendOptions(backendOptions)
                .stateDir(stateDir)
                .instanceId(instanceId)
                .drainTimeout(drainTimeout)
                .jobTimeout(jobTimeout)
                .shutdownTimeout(shutdownTimeout)
                .failOnImageError(failOnImageError)
                .imageParallelism(imageParallelism)
                .databaseUrl(databaseUrl)
                .maxAttempts(maxAttempts)
                .reconcileInterval(reconcileInterval)
                .ops(ops)
                .brokerSecurity(brokerSecurity);
    }

    /**
     * Fluent construction of {@link DaemonConfig}; every value starts at its default. The command line's defaults
     * (in its option annotations, for the help) are held to these by {@code DaemonOptionsTest}.
     */
    public static final class Builder {
        private Path imageMapFile;
        private int maxConcurrency = 2;
        private String capacityMap = "";
        private int maxPending = 1;
        private AmqpSettings amqp;
        private String hypervisor = Backends.AUTO;
        private BackendOptions backendOptions = BackendOptions.none();
        private Path stateDir = Path.of("/var/lib/solstice-orchestrator");
        private String instanceId;
        private Duration drainTimeout = Duration.ofMinutes(10);
        private Duration jobTimeout = Duration.ofHours(1);
        private Duration shutdownTimeout = Duration.ofSeconds(60);
        private boolean failOnImageError;
        private int imageParallelism = 2;
        private String databaseUrl;
        private int maxAttempts = 3;
        private Duration reconcileInterval = Duration.ofSeconds(60);
        private OpsSettings ops = OpsSettings.httpOff();
        private BrokerSecurity brokerSecurity = BrokerSecurity.none();

        private Builder() {
        }

        public Builder imageMapFile(Path value) {
            imageMapFile = value;
            return this;
        }

        public Builder maxConcurrency(int value) {
            maxConcurrency = value;
            return this;
        }

        public Builder capacityMap(String value) {
            capacityMap = value;
            return this;
        }

        public Builder maxPending(int value) {
            maxPending = value;
            return this;
        }

        public Builder amqp(AmqpSettings value) {
            amqp = value;
            return this;
        }

        /** A backend's name or {@code auto}. */
        public Builder hypervisor(String value) {
            hypervisor = value;
            return this;
        }

        public Builder backendOptions(BackendOptions value) {
            backendOptions = value;
            return this;
        }

        /** Sets one backend's option (see {@link BackendOptions#with}); null leaves it at the backend's default. */
        public Builder backendOption(String backend, String key, Object value) {
            backendOptions = backendOptions.with(backend, key, value);
            return this;
        }

        public Builder stateDir(Path value) {
            stateDir = value;
            return this;
        }

        public Builder instanceId(String value) {
            instanceId = value;
            return this;
        }

        public Builder drainTimeout(Duration value) {
            drainTimeout = value;
            return this;
        }

        public Builder jobTimeout(Duration value) {
            jobTimeout = value;
            return this;
        }

        public Builder shutdownTimeout(Duration value) {
            shutdownTimeout = value;
            return this;
        }

        public Builder failOnImageError(boolean value) {
            failOnImageError = value;
            return this;
        }

        public Builder imageParallelism(int value) {
            imageParallelism = value;
            return this;
        }

        public Builder databaseUrl(String value) {
            databaseUrl = value;
            return this;
        }

        public Builder maxAttempts(int value) {
            maxAttempts = value;
            return this;
        }

        public Builder reconcileInterval(Duration value) {
            reconcileInterval = value;
            return this;
        }

        public Builder ops(OpsSettings value) {
            ops = value;
            return this;
        }

        public Builder brokerSecurity(BrokerSecurity value) {
            brokerSecurity = value;
            return this;
        }

        public DaemonConfig build() {
            return new DaemonConfig(imageMapFile, maxConcurrency, capacityMap, maxPending, amqp, hypervisor,
                    backendOptions, stateDir, instanceId, drainTimeout, jobTimeout, shutdownTimeout, failOnImageError,
                    imageParallelism, databaseUrl, maxAttempts, reconcileInterval, ops, brokerSecurity);
        }
    }
}
