package org.solstice.orchestrator.messaging;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How the orchestrator proves who it is to the broker and checks who the broker is: the TLS trust and client
 * certificate for {@code amqps://} URLs, and credentials that override the URL's user-info. Secrets are held
 * already read (from files or the environment); {@link #toString()} never shows them.
 *
 * @param caFile                 PEM file with one or more CA certificates the broker's certificate must chain to;
 *                               null: the JVM's default trust store
 * @param clientKeystore         PKCS#12 file with the client certificate and key for mutual TLS; null: none
 * @param clientKeystorePassword its password; null: an empty password
 * @param username               overrides the URL's user name; null: the URL's
 * @param password               overrides the URL's password; null: the URL's
 */
public record BrokerSecurity(Path caFile, Path clientKeystore, String clientKeystorePassword, String username,
                             String password) {

    /** No TLS options, credentials from the URL: what a plain {@code amqp://} URL on loopback needs. */
    public static BrokerSecurity none() {
        return new BrokerSecurity(null, null, null, null, null);
    }

    public BrokerSecurity withCaFile(Path file) {
        return new BrokerSecurity(file, clientKeystore, clientKeystorePassword, username, password);
    }

    public BrokerSecurity withClientKeystore(Path file, String keystorePassword) {
        return new BrokerSecurity(caFile, file, keystorePassword, username, password);
    }

    public BrokerSecurity withCredentials(String user, String secret) {
        return new BrokerSecurity(caFile, clientKeystore, clientKeystorePassword, user, secret);
    }

    static boolean isTls(URI uri) {
        return "amqps".equalsIgnoreCase(uri.getScheme());
    }

    /**
     * Refuses TLS options with a plain {@code amqp://} URL: they would be ignored, and the operator who gave them
     * believes the connection is encrypted.
     *
     * @throws IllegalArgumentException naming the options given
     */
    public void checkAgainst(URI uri) {
        if (isTls(uri)) {
            return;
        }
        List<String> given = new ArrayList<>();
        if (caFile != null) {
            given.add("--amqp-ca-file / AMQP_CA_FILE");
        }
        if (clientKeystore != null) {
            given.add("--amqp-client-keystore / AMQP_CLIENT_KEYSTORE");
        }
        if (!given.isEmpty()) {
            throw new IllegalArgumentException(String.join(" and ", given) + " given, but the broker URL "
                    + AmqpSettings.redact(uri) + " is plain amqp://: use amqps:// for TLS, or drop the option");
        }
    }

    /** Removes every secret this object or {@code uri} knows from {@code text} (for messages from libraries). */
    public String scrub(String text, URI uri) {
        if (text == null) {
            return null;
        }
        String result = text;
        List<String> secrets = new ArrayList<>();
        secrets.add(password);
        secrets.add(clientKeystorePassword);
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && userInfo.indexOf(':') >= 0) {
            String raw = userInfo.substring(userInfo.indexOf(':') + 1);
            secrets.add(raw);
            try {
                secrets.add(java.net.URLDecoder.decode(raw, java.nio.charset.StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // not decodable: the raw form is scrubbed
            }
        }
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                result = result.replace(secret, "***");
            }
        }
        return result;
    }

    @Override
    public String toString() {
        return "BrokerSecurity[caFile=" + caFile + ", clientKeystore=" + clientKeystore + ", username=" + username
                + ", password=" + (password == null ? "from the URL" : "***") + "]";
    }
}
