package org.solstice.orchestrator.messaging;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;

/** Turns a failed connection attempt into one line that says what to check, TLS failures above all. */
final class ConnectFailure {
    private ConnectFailure() {
    }

    static String describe(Throwable e, String host, boolean tls) {
        String root = BrokerConnector.rootMessage(e);
        if (has(e, CertPathBuilderException.class) || has(e, CertPathValidatorException.class)) {
            return "TLS: the broker's certificate is not trusted (" + root + "); give the CA that signed it with"
                    + " --amqp-ca-file";
        }
        String certificateProblem = messageOf(e, CertificateException.class);
        if (certificateProblem != null && (certificateProblem.contains("subject alternative")
                || certificateProblem.contains("No name matching"))) {
            return "TLS: the broker's certificate is not valid for the host name '" + host + "' (" + root
                    + "); connect by a name the certificate lists";
        }
        String ssl = messageOf(e, SSLException.class);
        if (ssl != null) {
            if (ssl.contains("certificate_required") || ssl.contains("bad_certificate")) {
                return "TLS: the broker wants a client certificate it accepts (" + root + "); set"
                        + " --amqp-client-keystore";
            }
            if (ssl.contains("Unsupported or unrecognized SSL message")) {
                return "TLS: the broker did not answer in TLS (" + root + "); is this its amqps port?";
            }
            return "TLS: " + root;
        }
        if (tls && (has(e, java.net.SocketException.class) || has(e, java.io.EOFException.class))
                && !has(e, java.net.ConnectException.class)) {
            // TLS 1.3 checks the client certificate after the client's side of the handshake is done: a refused
            // one shows up as the connection closing under the first AMQP bytes
            return "TLS: the broker closed the connection after the handshake (" + root + "); if it requires a"
                    + " client certificate, check --amqp-client-keystore";
        }
        return root;
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        return messageOf(e, type) != null;
    }

    /** The message of the first throwable of {@code type} in the cause chain ("" when it has none), else null. */
    private static String messageOf(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return t.getMessage() == null ? "" : t.getMessage();
            }
        }
        return null;
    }
}
