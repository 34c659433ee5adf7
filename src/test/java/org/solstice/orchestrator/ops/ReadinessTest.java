package org.solstice.orchestrator.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.testing.Http;
import org.solstice.orchestrator.testing.NoopDaemonHarness;
import org.solstice.orchestrator.testing.NoopDaemons;
import org.solstice.orchestrator.testing.RabbitMq;
import org.solstice.orchestrator.testing.TcpProxy;

/** /readyz follows the broker: 503 naming it while the connection is cut, 200 again once it has recovered. */
class ReadinessTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @RegisterExtension
    final NoopDaemons daemons = new NoopDaemons();

    private NoopDaemonHarness harness;


    @Test
    void readyzTurnsNotReadyWhileTheBrokerIsAwayAndReadyWhenItIsBack() throws Exception {
        try (TcpProxy proxy = TcpProxy.toBroker().start()) {
            harness = daemons.in(dir).ops(OpsSettings.defaults().withHttpPort(0))
                    .daemonAmqpUri(proxy.amqpUri());
            harness.start();
            int port = harness.daemon().httpPort();

            HttpResponse<String> ready = Http.get(port, "/readyz");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(ready.body()).path("ready").asBoolean()).isTrue();

            proxy.stop();
            HttpResponse<String> notReady = awaitStatus(port, 503);
            JsonNode body = JSON.readTree(notReady.body());
            assertThat(body.path("ready").asBoolean()).isFalse();
            assertThat(body.path("not_ready").toString()).contains("broker");
            assertThat(body.path("checks").path("broker").path("detail").asText()).contains("RabbitMQ");
            assertThat(body.path("checks").path("store").path("ok").asBoolean()).isTrue();
            assertThat(body.path("checks").path("hypervisor").path("ok").asBoolean()).isTrue();
            assertThat(Http.get(port, "/healthz").statusCode()).as("alive all the same").isEqualTo(200);

            proxy.start();
            awaitStatus(port, 200);
            assertThat(Metrics.value(Http.get(port, "/metrics").body(),
                    "solstice_orchestrator_broker_reconnects_total")).isEqualTo(1);
        }
    }

    private static HttpResponse<String> awaitStatus(int port, int status) {
        return await("/readyz to answer " + status).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> Http.get(port, "/readyz"), response -> response.statusCode() == status);
    }
}
