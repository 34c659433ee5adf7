package org.solstice.orchestrator.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.solstice.orchestrator.hypervisor.BackendOptions;
import org.solstice.orchestrator.messaging.AmqpSettings;
import org.solstice.orchestrator.ops.OpsSettings;

class DaemonConfigTest {
    private static final AmqpSettings AMQP = AmqpSettings.defaults(URI.create("amqp://guest:guest@127.0.0.1:5672/%2F"), 2);

    private static DaemonConfig.Builder aConfig() {
        return DaemonConfig.builder().imageMapFile(Path.of("map.yaml")).amqp(AMQP).instanceId("host-1");
    }

    @Test
    void theBuilderStartsAtTheDaemonsDefaults() {
        DaemonConfig config = aConfig().build();

        assertThat(config.maxConcurrency()).isEqualTo(2);
        assertThat(config.maxPending()).isEqualTo(1);
        assertThat(config.capacityMap()).isEmpty();
        assertThat(config.hypervisor()).isEqualTo("auto");
        assertThat(config.backendOptions()).isEqualTo(BackendOptions.none());
        assertThat(config.stateDir()).isEqualTo(Path.of("/var/lib/solstice-orchestrator"));
        assertThat(config.drainTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.jobTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.failOnImageError()).isFalse();
        assertThat(config.imageParallelism()).isEqualTo(2);
        assertThat(config.databaseUrl()).isNull();
        assertThat(config.maxAttempts()).isEqualTo(3);
        assertThat(config.reconcileInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.ops().httpPort()).as("no HTTP listener unless asked").isEqualTo(OpsSettings.DISABLED);
    }

    @Test
    void toBuilderKeepsEveryValueAndChangesOnlyWhatIsSet() {
        DaemonConfig config = aConfig().maxConcurrency(4).capacityMap("a=1").maxPending(3).hypervisor("noop")
                .backendOption("noop", "run-time", Duration.ofMillis(5)).stateDir(Path.of("/tmp/s"))
                .drainTimeout(Duration.ofSeconds(1)).jobTimeout(Duration.ofSeconds(2))
                .shutdownTimeout(Duration.ofSeconds(3)).failOnImageError(true).imageParallelism(5)
                .databaseUrl("jdbc:h2:mem:x").maxAttempts(7).reconcileInterval(Duration.ofSeconds(9))
                .ops(OpsSettings.defaults()).build();

        assertThat(config.toBuilder().build()).isEqualTo(config);
        assertThat(config.toBuilder().maxAttempts(1).build())
                .isEqualTo(new DaemonConfig(config.imageMapFile(), 4, "a=1", 3, AMQP, "noop", config.backendOptions(),
                        Path.of("/tmp/s"), "host-1", Duration.ofSeconds(1), Duration.ofSeconds(2),
                        Duration.ofSeconds(3), true, 5, "jdbc:h2:mem:x", 1, Duration.ofSeconds(9),
                        OpsSettings.defaults(), config.brokerSecurity()));
    }

    @Test
    void itRefusesWhatTheDaemonCannotRunWithNamingTheOption() {
        assertThatThrownBy(() -> aConfig().maxConcurrency(0).build()).hasMessageContaining("--max-concurrency");
        assertThatThrownBy(() -> aConfig().maxPending(0).build()).hasMessageContaining("--max-pending");
        assertThatThrownBy(() -> aConfig().instanceId("no spaces").build()).hasMessageContaining("--instance-id");
        assertThatThrownBy(() -> DaemonConfig.builder().amqp(AMQP).instanceId("h").build())
                .hasMessageContaining("imageMapFile");
    }
}
