package org.solstice.orchestrator.messaging;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.solstice.orchestrator.OrchestratorException;

/**
 * The SSLContext for an {@code amqps://} broker: trust from a PEM CA file (else the JVM's default trust store,
 * never a trust-everything manager) and, for mutual TLS, a client certificate from a PKCS#12 keystore; TLSv1.3
 * and TLSv1.2 only. Every failure is one line naming the file and the cause.
 */
public final class BrokerTls {
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private BrokerTls() {
    }

    public static SSLContext context(BrokerSecurity security) {
        TrustManagerFactory trust = trustManagers(security.caFile());
        KeyManager[] keys = security.clientKeystore() == null ? null
                : keyManagers(security.clientKeystore(), security.clientKeystorePassword());
        try {
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(keys, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new OrchestratorException("cannot set up TLS for the broker: " + e.getMessage(), e);
        }
    }

    /** TLSv1.3 and TLSv1.2 only, whatever else the JDK would enable. */
    static void limitProtocols(Socket socket) {
        if (socket instanceof SSLSocket ssl) {
            List<String> supported = List.of(ssl.getSupportedProtocols());
            ssl.setEnabledProtocols(PROTOCOLS.stream().filter(supported::contains).toArray(String[]::new));
        }
    }

    static TrustManagerFactory trustManagers(Path caFile) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(caFile == null ? null : caKeyStore(caFile)); // null: the JVM's default trust store
            return factory;
        } catch (GeneralSecurityException e) {
            throw new OrchestratorException("cannot set up TLS trust for the broker: " + e.getMessage(), e);
        }
    }

    /** The CA file's certificates as an in-memory trust store. */
    static KeyStore caKeyStore(Path caFile) {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(caFile)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new OrchestratorException("cannot read the CA file " + caFile + " (--amqp-ca-file): "
                    + BrokerConnector.rootMessage(e), e);
        } catch (CertificateException e) {
            throw new OrchestratorException("the CA file " + caFile + " (--amqp-ca-file) is not PEM certificates: "
                    + BrokerConnector.rootMessage(e), e);
        }
        if (certificates.isEmpty()) {
            throw new OrchestratorException("the CA file " + caFile + " (--amqp-ca-file) holds no certificate;"
                    + " it should hold one or more '-----BEGIN CERTIFICATE-----' blocks");
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new OrchestratorException("cannot use the CA file " + caFile + ": " + e.getMessage(), e);
        }
    }

    static KeyManager[] keyManagers(Path keystore, String password) {
        char[] secret = password == null ? new char[0] : password.toCharArray();
        KeyStore store;
        try (InputStream in = Files.newInputStream(keystore)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, secret);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new OrchestratorException("cannot open the client keystore " + keystore
                        + " (--amqp-client-keystore): wrong password" + (password == null
                        ? " (none given: set --amqp-client-keystore-password-file)" : ""), e);
            }
            throw new OrchestratorException("cannot read the client keystore " + keystore
                    + " (--amqp-client-keystore, a PKCS#12 file): " + BrokerConnector.rootMessage(e), e);
        } catch (GeneralSecurityException e) {
            throw new OrchestratorException("cannot read the client keystore " + keystore
                    + " (--amqp-client-keystore, a PKCS#12 file): " + BrokerConnector.rootMessage(e), e);
        }
        try {
            if (!store.aliases().hasMoreElements() || java.util.Collections.list(store.aliases()).stream()
                    .noneMatch(alias -> isKeyEntry(store, alias))) {
                throw new OrchestratorException("the client keystore " + keystore
                        + " (--amqp-client-keystore) holds no private key with a certificate");
            }
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, secret);
            return factory.getKeyManagers();
        } catch (UnrecoverableKeyException e) {
            throw new OrchestratorException("cannot use the key in the client keystore " + keystore
                    + ": its password differs from the keystore's", e);
        } catch (GeneralSecurityException e) {
            throw new OrchestratorException("cannot use the client keystore " + keystore + ": "
                    + BrokerConnector.rootMessage(e), e);
        }
    }

    private static boolean isKeyEntry(KeyStore store, String alias) {
        try {
            return store.isKeyEntry(alias);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
