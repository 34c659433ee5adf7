package org.solstice.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.solstice.orchestrator.testing.JobRequests.aJob;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.messaging.AmqpSettings;
import org.solstice.orchestrator.messaging.BrokerSecurity;
import org.solstice.orchestrator.messaging.JobClient;
import org.solstice.orchestrator.testing.LogCapture;
import org.solstice.orchestrator.testing.RabbitMq;
import picocli.CommandLine;

/** Credentials from a file or the environment override the URL's; TLS options need amqps://. */
class BrokerOptionsTest {
    @TempDir
    Path dir;

    private AmqpSettings settings;

    @AfterEach
    void deleteTopology() {
        if (settings != null) {
            RabbitMq.deleteTopology(settings);
        }
    }

    /** The test broker's URL with the given user-info instead of its own. */
    private static String brokerUrl(String userInfo) {
        URI b = RabbitMq.uri();
        return "amqp://" + userInfo + "@" + b.getHost() + ":" + (b.getPort() == -1 ? 5672 : b.getPort()) + "/%2f";
    }

    private static String brokerPassword() {
        String userInfo = RabbitMq.uri().getUserInfo();
        return userInfo == null ? "guest" : userInfo.substring(userInfo.indexOf(':') + 1);
    }

    private static String brokerUser() {
        String userInfo = RabbitMq.uri().getUserInfo();
        return userInfo == null ? "guest" : userInfo.substring(0, userInfo.indexOf(':'));
    }

    private AmqpOptions parse(Map<String, String> environment, String... args) {
        AmqpOptions options = new AmqpOptions();
        new CommandLine(options).parseArgs(args);
        options.environment = environment::get;
        return options;
    }

    private Path secretFile(String content, String permissions) throws Exception {
        Path file = dir.resolve("secret-" + System.nanoTime());
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    /** Connects and publishes one confirmed job with what the options say. */
    private void publishWith(AmqpOptions options) {
        AmqpSettings s = options.toSettings(1);
        settings = RabbitMq.uniqueSettings(1).withUri(s.uri());
        try (JobClient client = new JobClient(settings, options.toSecurity())) {
            client.publish(aJob().build());
        }
        assertThat(RabbitMq.messageCount(settings.jobQueue())).isEqualTo(1);
    }

    @Test
    void thePasswordFileOverridesAWrongPasswordInTheUrl() throws Exception {
        Path file = secretFile(brokerPassword() + "\n", "rw-------");

        publishWith(parse(Map.of(), "--amqp-url", brokerUrl(brokerUser() + ":wrong-url-password"),
                "--amqp-password-file", file.toString()));
    }

    @Test
    void amqpPasswordInTheEnvironmentOverridesTheUrl() {
        publishWith(parse(Map.of("AMQP_PASSWORD", brokerPassword()), "--amqp-url",
                brokerUrl(brokerUser() + ":wrong-url-password")));
    }

    @Test
    void thePasswordFileWinsOverTheEnvironmentAndTheUserNameOverTheUrls() throws Exception {
        Path file = secretFile(brokerPassword(), "r--------");

        publishWith(parse(Map.of("AMQP_PASSWORD", "wrong-env-password"), "--amqp-url",
                brokerUrl("nobody:wrong-url-password"), "--amqp-username", brokerUser(),
                "--amqp-password-file", file.toString()));
    }

    @Test
    void aPasswordFileOthersMayReadIsUsedWithAWarning() throws Exception {
        Path open = secretFile("s3cret\n", "rw-r--r--");
        Path closed = secretFile("s3cret\n", "rw-------");

        try (LogCapture logs = new LogCapture()) {
            BrokerSecurity security = parse(Map.of(), "--amqp-password-file", open.toString()).toSecurity();
            assertThat(security.password()).isEqualTo("s3cret");
            assertThat(logs.text()).contains("WARN").contains("the password file " + open
                    + " (--amqp-password-file) may be read by every user").contains("chmod 600");
        }
        try (LogCapture logs = new LogCapture()) {
            parse(Map.of(), "--amqp-password-file", closed.toString()).toSecurity();
            assertThat(logs.text()).doesNotContain("password file");
        }
    }

    @Test
    void anUnreadablePasswordFileIsOneLineNamingIt() {
        Path missing = dir.resolve("no-such-password");

        CliTest.Run r = CliTest.run("enqueue", "--repo-url", "https://x.org/r.git", "--commit-sha", "abcdef0",
                "--amqp-password-file", missing.toString());

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("error: cannot read the password file " + missing
                + " (--amqp-password-file): NoSuchFileException: " + missing);
    }

    @Test
    void tlsOptionsWithAPlainUrlStopTheDaemonAtStartUpNamingTheOption() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "");

        CliTest.Run r = CliTest.run("--amqp-url", "amqp://guest:guest@127.0.0.1:5672/%2f", "--amqp-ca-file",
                ca.toString(), "--state-dir", dir.resolve("state").toString(), "--http-port", "-1");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--amqp-ca-file / AMQP_CA_FILE given, but the broker URL"
                + " amqp://guest:***@127.0.0.1:5672/%2f is plain amqp://");
        assertThat(Files.exists(dir.resolve("state"))).as("nothing started").isFalse();
    }

    @Test
    void enqueueTakesThePasswordFromTheEnvironmentAndPrintsNoSecret() throws Exception {
        AmqpSettings a = RabbitMq.uniqueSettings(1);
        settings = a;
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.solstice.orchestrator.Main",
                "enqueue", "--repo-url", "https://x.org/r.git", "--commit-sha", "abcdef0",
                "--amqp-url", brokerUrl(brokerUser() + ":Wrong-Url-Secret-5d1e"),
                "--amqp-exchange", a.jobExchange(), "--amqp-queue", a.jobQueue(), "--amqp-dlx",
                a.deadLetterExchange(), "--amqp-dlq", a.deadLetterQueue(), "--amqp-result-exchange",
                a.resultExchange()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("AMQP_URL");
        builder.environment().put("AMQP_PASSWORD", brokerPassword());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).doesNotContain("Wrong-Url-Secret-5d1e");
        assertThat(RabbitMq.messageCount(a.jobQueue())).isEqualTo(1);
    }

    @Test
    void aMalformedUrlIsReportedWithoutRepeatingIt() {
        StringWriter err = new StringWriter();
        CommandLine cli = OrchestratorCommand.commandLine();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));

        int status = cli.execute("enqueue", "--repo-url", "https://x.org/r.git", "--commit-sha", "abcdef0",
                "--amqp-url", "amqp://guest:Malformed Secret^9@127.0.0.1:1/%2f");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("--amqp-url / AMQP_URL is not a valid URL").doesNotContain("Secret");
    }
}
