package org.solstice.orchestrator.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made at test time with the JDK's {@code keytool} in a temporary directory (no private key is
 * committed): a CA, server and client certificates it signs, and a second CA nobody trusts. EC P-256 keys, valid
 * for two days. Every keystore has the password {@link #PASSWORD}.
 */
public final class TestPki {
    public static final String PASSWORD = "changeit-test";

    private final Path dir;

    private TestPki(Path dir) {
        this.dir = dir;
    }

    /** A CA named {@code name} in {@code dir}: {@code <name>-ca.p12} and {@code <name>-ca.pem}. */
    public static TestPki create(Path dir, String name) {
        TestPki pki = new TestPki(dir);
        pki.keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=Solstice test CA " + name, "-ext", "bc:c", "-validity", "2",
                "-keystore", pki.caKeystore(name).toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        pki.keytool("-exportcert", "-rfc", "-alias", name, "-keystore", pki.caKeystore(name).toString(),
                "-storepass", PASSWORD, "-file", dir.resolve(name + "-ca.pem").toString());
        return pki;
    }

    private Path caKeystore(String ca) {
        return dir.resolve(ca + "-ca.p12");
    }

    public Path caPem(String ca) {
        return dir.resolve(ca + "-ca.pem");
    }

    /**
     * A PKCS#12 keystore {@code <name>.p12} with a key and a certificate for {@code cn} signed by CA {@code ca},
     * with the chain.
     *
     * @param san keytool's SAN syntax, e.g. {@code ip:127.0.0.1,dns:localhost}; null for none
     */
    public Path issue(String ca, String name, String cn, String san) {
        Path keystore = dir.resolve(name + ".p12");
        Path csr = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".pem");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + cn,
                "-validity", "2", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-certreq", "-alias", name, "-keystore", keystore.toString(), "-storepass", PASSWORD,
                "-file", csr.toString());
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", ca,
                "-keystore", caKeystore(ca).toString(), "-storepass", PASSWORD, "-validity", "2",
                "-infile", csr.toString(), "-outfile", cert.toString()));
        if (san != null) {
            gencert.addAll(List.of("-ext", "san=" + san));
        }
        keytool(gencert.toArray(String[]::new));
        keytool("-importcert", "-noprompt", "-alias", ca, "-file", caPem(ca).toString(),
                "-keystore", keystore.toString(), "-storepass", PASSWORD);
        keytool("-importcert", "-alias", name, "-file", cert.toString(), "-keystore", keystore.toString(),
                "-storepass", PASSWORD);
        return keystore;
    }

    private void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        try {
            Path output = Files.createTempFile(dir, "keytool", ".out");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("keytool " + args[0] + " took over 60 s");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("keytool " + String.join(" ", args) + " failed (exit "
                        + process.exitValue() + "): " + Files.readString(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run keytool: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running keytool", e);
        }
    }
}
