package org.solstice.orchestrator.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Terminates TLS on a loopback ephemeral port and forwards the plain bytes to the test broker, which listens
 * only on plain AMQP: an amqps:// broker for the tests. With {@link #requireClientCertificate} it asks for a
 * client certificate signed by the given CA and refuses clients without one.
 */
public final class TlsBrokerProxy implements AutoCloseable {
    private final SSLServerSocket server;
    private final URI broker;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<String> handshakeFailures = new CopyOnWriteArrayList<>();

    private TlsBrokerProxy(SSLServerSocket server, URI broker) {
        this.server = server;
        this.broker = broker;
    }

    /** Started, with the server certificate and key of {@code serverKeystore} (PKCS#12, {@link TestPki#PASSWORD}). */
    public static TlsBrokerProxy start(Path serverKeystore) throws Exception {
        return start(serverKeystore, null);
    }

    /** As {@link #start(Path)}, requiring a client certificate signed by a CA of {@code clientCaPem}. */
    public static TlsBrokerProxy requireClientCertificate(Path serverKeystore, Path clientCaPem) throws Exception {
        return start(serverKeystore, clientCaPem);
    }

    private static TlsBrokerProxy start(Path serverKeystore, Path clientCaPem) throws Exception {
        URI broker = RabbitMq.uri();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(serverKeystore)) {
            keys.load(in, TestPki.PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, TestPki.PASSWORD.toCharArray());
        TrustManagerFactory tmf = null;
        if (clientCaPem != null) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(clientCaPem)) {
                int i = 0;
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    trust.setCertificateEntry("ca" + i++, c);
                }
            }
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
        }
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
        SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.setNeedClientAuth(clientCaPem != null);
        TlsBrokerProxy proxy = new TlsBrokerProxy(server, broker);
        Thread acceptor = new Thread(proxy::accept, "tls-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return proxy;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The test broker's URL through this proxy, naming the proxy as {@code host} (127.0.0.1 or localhost). */
    public URI amqpsUri(String host) {
        String userInfo = broker.getRawUserInfo() == null ? "" : broker.getRawUserInfo() + "@";
        String path = broker.getRawPath() == null || broker.getRawPath().isEmpty() ? "/%2f" : broker.getRawPath();
        return URI.create("amqps://" + userInfo + host + ":" + port() + path);
    }

    /** Why the TLS handshakes that failed on the proxy's side failed. */
    public List<String> handshakeFailures() {
        return handshakeFailures;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                SSLSocket client = (SSLSocket) server.accept();
                sockets.add(client);
                Thread t = new Thread(() -> serve(client), "tls-proxy-handshake");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SSLSocket client) {
        try {
            client.startHandshake();
        } catch (IOException e) {
            handshakeFailures.add(e.toString());
            TcpProxy.closeQuietly(client);
            return;
        }
        try {
            Socket upstream = new Socket(broker.getHost(), broker.getPort() == -1 ? 5672 : broker.getPort());
            sockets.add(upstream);
            TcpProxy.pump(client, upstream, "tls-proxy-pump");
            TcpProxy.pump(upstream, client, "tls-proxy-pump");
        } catch (IOException e) {
            TcpProxy.closeQuietly(client);
        }
    }

    @Override
    public void close() {
        TcpProxy.closeQuietly(server);
        for (Socket s : sockets) {
            TcpProxy.closeQuietly(s);
        }
        sockets.clear();
    }

}
