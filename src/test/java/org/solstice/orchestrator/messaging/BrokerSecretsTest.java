package org.solstice.orchestrator.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.solstice.orchestrator.testing.LogCapture;
import org.solstice.orchestrator.testing.RabbitMq;
import org.solstice.orchestrator.testing.TcpProxy;

/** A broker password shows up in no log line and no error, whatever way the connection fails. */
class BrokerSecretsTest {
    private static final String URL_SECRET = "Url-Secret-7f3a";
    private static final String FILE_SECRET = "File-Secret-91bc";

    private static URI withPassword(URI broker, String password) {
        return URI.create("amqp://guest:" + password + "@" + broker.getHost() + ":"
                + (broker.getPort() == -1 ? 5672 : broker.getPort()) + "/%2f");
    }

    private static String everything(LogCapture logs, Throwable thrown) {
        StringBuilder text = new StringBuilder(logs.text());
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            text.append(t).append('\n');
        }
        return text.toString();
    }

    @Test
    void anUnreachableBrokerIsReportedWithoutThePassword() throws Exception {
        TcpProxy stopped = TcpProxy.toBroker(); // never started: connections are refused
        AmqpSettings s = RabbitMq.uniqueSettings(1).withUri(withPassword(stopped.amqpUri(), URL_SECRET));
        AtomicInteger attempts = new AtomicInteger();

        try (LogCapture logs = new LogCapture()) {
            Throwable thrown = catchThrowable(() -> new BrokerConnector(s, "secrets-test")
                    .connectWithRetry(Duration.ofSeconds(1), () -> attempts.incrementAndGet() < 2));

            assertThat(thrown).hasMessageStartingWith("cannot reach RabbitMQ at amqp://guest:***@127.0.0.1:"
                    + stopped.port());
            assertThat(logs.text()).contains("cannot reach RabbitMQ at amqp://guest:***@");
            assertThat(everything(logs, thrown)).doesNotContain(URL_SECRET);
        }
    }

    @Test
    void aRefusedLoginIsReportedWithoutEitherPassword() throws Exception {
        AmqpSettings urlOnly = RabbitMq.uniqueSettings(1).withUri(withPassword(RabbitMq.uri(), URL_SECRET));

        try (LogCapture logs = new LogCapture()) {
            Throwable fromUrl = catchThrowable(() -> new JobClient(urlOnly).close());
            Throwable fromFile = catchThrowable(() -> new JobClient(urlOnly,
                    BrokerSecurity.none().withCredentials(null, FILE_SECRET)).close());

            assertThat(fromUrl).hasMessageContaining("ACCESS_REFUSED");
            assertThat(fromFile).hasMessageContaining("ACCESS_REFUSED");
            String all = everything(logs, fromUrl) + everything(logs, fromFile);
            assertThat(all).doesNotContain(URL_SECRET).doesNotContain(FILE_SECRET);
        }
    }

    @Test
    void messagesFromTheClientLibraryAreScrubbed() {
        BrokerSecurity security = BrokerSecurity.none().withCredentials("u", FILE_SECRET);
        URI uri = URI.create("amqp://guest:" + URL_SECRET + "%21@host/%2f");

        assertThat(security.scrub("a " + URL_SECRET + "%21 b " + URL_SECRET + "! c " + FILE_SECRET, uri))
                .isEqualTo("a *** b *** c ***");
        assertThat(security.toString()).doesNotContain(FILE_SECRET);
    }
}
