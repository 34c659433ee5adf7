package org.solstice.orchestrator.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.solstice.orchestrator.testing.JobRequests.aJob;

import com.rabbitmq.client.Connection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.OrchestratorException;
import org.solstice.orchestrator.testing.NoopDaemonHarness;
import org.solstice.orchestrator.testing.RabbitMq;
import org.solstice.orchestrator.testing.TestPki;
import org.solstice.orchestrator.testing.TlsBrokerProxy;

/**
 * amqps:// against the real broker behind a TLS-terminating proxy, with certificates made at test time: trust
 * from a CA file, hostname verification, client certificates, and failures that say in one line what is wrong.
 */
class BrokerTlsTest {
    @TempDir
    static Path pkiDir;

    @TempDir
    Path dir;

    static TestPki pki;
    static Path serverKeystore;
    static Path localhostOnlyKeystore;
    static Path clientKeystore;
    static Path caPem;
    static Path otherCaPem;

    private TlsBrokerProxy proxy;
    private AmqpSettings settings;

    @BeforeAll
    static void makeCertificates() {
        RabbitMq.uri(); // fail first, and clearly, without a broker
        pki = TestPki.create(pkiDir, "test");
        TestPki.create(pkiDir, "other");
        caPem = pki.caPem("test");
        otherCaPem = pki.caPem("other");
        serverKeystore = pki.issue("test", "server", "127.0.0.1", "ip:127.0.0.1,dns:localhost");
        localhostOnlyKeystore = pki.issue("test", "server-localhost", "localhost", "dns:localhost");
        clientKeystore = pki.issue("test", "client", "solstice-orchestrator", null);
    }

    @AfterEach
    void tearDown() {
        if (proxy != null) {
            proxy.close();
        }
        if (settings != null) {
            RabbitMq.deleteTopology(settings);
        }
    }

    private AmqpSettings through(TlsBrokerProxy p, String host) {
        proxy = p;
        settings = RabbitMq.uniqueSettings(1).withUri(p.amqpsUri(host));
        return settings;
    }

    private static String failureOf(AmqpSettings s, BrokerSecurity security) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> new JobClient(s, security).close());
        assertThat(thrown).as("connecting to %s should fail", s.redactedUri()).isInstanceOf(OrchestratorException.class);
        assertThat(thrown.getMessage()).as("one line").doesNotContain("\n");
        return thrown.getMessage();
    }

    @Test
    void publishesWithConfirmsOverAmqpsTrustingTheCaFile() throws Exception {
        AmqpSettings s = through(TlsBrokerProxy.start(serverKeystore), "127.0.0.1");

        try (JobClient client = new JobClient(s, BrokerSecurity.none().withCaFile(caPem))) {
            client.publish(aJob().build());
        }

        assertThat(RabbitMq.messageCount(s.jobQueue())).isEqualTo(1);
    }

    @Test
    void theDaemonRunsAJobOverAmqps() throws Exception {
        TlsBrokerProxy p = TlsBrokerProxy.start(serverKeystore);
        proxy = p;
        try (NoopDaemonHarness harness = new NoopDaemonHarness(dir).daemonAmqpUri(p.amqpsUri("localhost"))
                .daemonBrokerSecurity(BrokerSecurity.none().withCaFile(caPem))) {
            harness.start();
            UUID id = UUID.randomUUID();
            harness.client().publish(aJob().id(id).runsOn("illumos").build());

            Optional<JobResult> result = harness.client().awaitResult(id, Duration.ofSeconds(30));

            assertThat(result).as("result over amqps").isPresent();
            assertThat(result.get().success()).isTrue();
        }
    }

    @Test
    void aBrokerWantingClientCertificatesRefusesUsWithoutOneAndAcceptsTheKeystore() throws Exception {
        AmqpSettings s = through(TlsBrokerProxy.requireClientCertificate(serverKeystore, caPem), "127.0.0.1");
        BrokerSecurity trustOnly = BrokerSecurity.none().withCaFile(caPem);

        String failure = failureOf(s, trustOnly);

        assertThat(failure).startsWith("cannot reach RabbitMQ at amqps://guest:***@127.0.0.1:" + proxy.port())
                .contains("TLS").contains("client certificate").contains("--amqp-client-keystore");
        // the proxy notes the failure just after the client sees it
        await("the proxy to note the refused handshake").atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(proxy.handshakeFailures()).as("the proxy refused the handshake")
                        .isNotEmpty());

        try (JobClient client = new JobClient(s, trustOnly.withClientKeystore(clientKeystore, TestPki.PASSWORD))) {
            client.publish(aJob().build());
        }
        assertThat(RabbitMq.messageCount(s.jobQueue())).isEqualTo(1);
    }

    @Test
    void aCertificateFromAnotherCaIsNotTrusted() throws Exception {
        AmqpSettings s = through(TlsBrokerProxy.start(serverKeystore), "127.0.0.1");

        String failure = failureOf(s, BrokerSecurity.none().withCaFile(otherCaPem));

        assertThat(failure).contains("127.0.0.1:" + proxy.port())
                .contains("the broker's certificate is not trusted").contains("--amqp-ca-file");
    }

    @Test
    void withoutACaFileTheJvmTrustStoreIsUsedNotTrustEverything() throws Exception {
        AmqpSettings s = through(TlsBrokerProxy.start(serverKeystore), "127.0.0.1");

        String failure = failureOf(s, BrokerSecurity.none());

        assertThat(failure).contains("the broker's certificate is not trusted");
    }

    @Test
    void aHostNameTheCertificateDoesNotListFails() throws Exception {
        AmqpSettings s = through(TlsBrokerProxy.start(localhostOnlyKeystore), "127.0.0.1");
        BrokerSecurity security = BrokerSecurity.none().withCaFile(caPem);

        String failure = failureOf(s, security);

        assertThat(failure).contains("127.0.0.1:" + proxy.port())
                .contains("not valid for the host name '127.0.0.1'");
        try (JobClient client = new JobClient(s.withUri(proxy.amqpsUri("localhost")), security)) {
            client.publish(aJob().build());
        }
    }

    @Test
    void tlsOptionsWithAPlainUrlAreRefusedNamingTheOption() {
        AmqpSettings plain = AmqpSettings.defaults(URI.create("amqp://guest:guest@127.0.0.1:5672/%2f"), 1);

        assertThatThrownBy(() -> new BrokerConnector(plain, BrokerSecurity.none().withCaFile(caPem), "test"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--amqp-ca-file")
                .hasMessageContaining("amqps://");
        assertThatThrownBy(() -> new BrokerConnector(plain,
                BrokerSecurity.none().withClientKeystore(clientKeystore, TestPki.PASSWORD), "test"))
                .hasMessageContaining("--amqp-client-keystore");
    }

    @Test
    void unusableTlsFilesFailInOneLineNamingTheFile() throws Exception {
        AmqpSettings tls = AmqpSettings.defaults(URI.create("amqps://127.0.0.1:1/%2f"), 1);
        Path missing = dir.resolve("missing.pem");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN CERTIFICATE-----\nnot base64!\n"
                + "-----END CERTIFICATE-----\n");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");

        assertThatThrownBy(() -> new BrokerConnector(tls, BrokerSecurity.none().withCaFile(missing), "t"))
                .hasMessageStartingWith("cannot read the CA file " + missing + " (--amqp-ca-file): NoSuchFileException");
        assertThatThrownBy(() -> new BrokerConnector(tls, BrokerSecurity.none().withCaFile(garbage), "t"))
                .hasMessageStartingWith("the CA file " + garbage + " (--amqp-ca-file) is not PEM certificates");
        assertThatThrownBy(() -> new BrokerConnector(tls, BrokerSecurity.none().withCaFile(empty), "t"))
                .hasMessageContaining("holds no certificate");
        assertThatThrownBy(() -> new BrokerConnector(tls,
                BrokerSecurity.none().withClientKeystore(clientKeystore, "wrong-password"), "t"))
                .hasMessage("cannot open the client keystore " + clientKeystore
                        + " (--amqp-client-keystore): wrong password");
        assertThatThrownBy(() -> new BrokerConnector(tls, BrokerSecurity.none().withClientKeystore(caPem, null), "t"))
                .hasMessageStartingWith("cannot read the client keystore " + caPem);
    }

    @Test
    void aPlainBrokerPortAnsweredWithTlsSaysSo() throws Exception {
        URI plain = RabbitMq.uri();
        AmqpSettings s = RabbitMq.uniqueSettings(1).withUri(URI.create("amqps://" + plain.getRawUserInfo() + "@"
                + plain.getHost() + ":" + (plain.getPort() == -1 ? 5672 : plain.getPort()) + "/%2f"));

        String failure = failureOf(s, BrokerSecurity.none().withCaFile(caPem));

        assertThat(failure).contains("TLS");
    }

    @Test
    void onlyTls13And12AreOffered() throws Exception {
        SSLContext context = BrokerTls.context(BrokerSecurity.none().withCaFile(caPem));
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.setEnabledProtocols(socket.getSupportedProtocols());

            BrokerTls.limitProtocols(socket);

            assertThat(socket.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        }
    }

    @Test
    void connectsByADnsNameTheCertificateLists() throws Exception {
        AmqpSettings s = through(TlsBrokerProxy.start(serverKeystore), "localhost");
        Connection c = new BrokerConnector(s, BrokerSecurity.none().withCaFile(caPem), "t").connect();
        try {
            assertThat(c.isOpen()).isTrue();
            assertThat(c.getAddress().isLoopbackAddress()).isTrue();
        } finally {
            c.close();
        }
    }
}
