package org.solstice.orchestrator.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy the tests can cut: {@link #cutConnections()} drops every proxied connection (like a
 * network failure or a broker restart), {@link #stop()} refuses new ones until {@link #start()}.
 */
public final class TcpProxy implements AutoCloseable {
    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;

    public TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            this.port = probe.getLocalPort();
        }
    }

    /** A proxy (not started) in front of the test broker. */
    public static TcpProxy toBroker() throws IOException {
        java.net.URI broker = RabbitMq.uri();
        return new TcpProxy(broker.getHost(), broker.getPort());
    }

    /** The broker's URL through this proxy. */
    public java.net.URI amqpUri() {
        return java.net.URI.create("amqp://guest:guest@127.0.0.1:" + port + "/%2f");
    }

    public int port() {
        return port;
    }

    public synchronized TcpProxy start() throws IOException {
        if (server != null) {
            return this;
        }
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        server = s;
        Thread acceptor = new Thread(() -> accept(s), "tcp-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return this;
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                Socket upstream = new Socket(targetHost, targetPort);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        pump(from, to, "tcp-proxy-pump");
    }

    /** Copies bytes from one socket to the other on a daemon thread until either side closes; then closes both. */
    static void pump(Socket from, Socket to, String threadName) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // connection cut
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
    }

    /** Drops every proxied connection; new ones are still accepted. */
    public void cutConnections() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    /** Refuses new connections and drops existing ones. */
    public synchronized void stop() {
        if (server != null) {
            closeQuietly(server);
            server = null;
        }
        cutConnections();
    }

    @Override
    public void close() {
        stop();
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
