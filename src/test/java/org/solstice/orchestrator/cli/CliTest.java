package org.solstice.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.testing.NoopDaemonHarness;
import org.solstice.orchestrator.testing.RabbitMq;
import picocli.CommandLine;

class CliTest {
    @TempDir
    Path dir;

    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cli = OrchestratorCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int status = cli.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void helpListsEveryOptionWithItsEnvironmentVariable() {
        Run r = run("--help");

        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("--max-concurrency", "MAX_CONCURRENCY", "--config", "ORCH_CONFIG",
                "AMQP_URL", "LIBVIRT_NETWORK", "enqueue", "validate-config");
    }

    @Test
    void versionIsPrinted() {
        Run r = run("--version");

        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("solstice-orchestrator ");
    }

    @Test
    void validateConfigPrintsLabelsAliasesAndResources() {
        Run r = run("validate-config", "--config", "examples/orchestrator-image-map.yaml",
                "--capacity-map", "illumos-latest=2");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("default label: illumos-latest -> openindiana-hipster")
                .contains("illumos-latest -> openindiana-hipster")
                .contains("2 CPU, 2048 MiB memory, disk 20 GiB")
                .contains("OI-hipster-cloudimage.img.zstd")
                .contains("capacity:   2");
    }

    @Test
    void validateConfigNamesFileLineAndKeyOfAMistake() throws Exception {
        Path map = dir.resolve("bad.yaml");
        Files.writeString(map, NoopDaemonHarness.MAP.replace("local_path: oi.img", "local_path: oi.img\n    ram: 2G"));

        Run r = run("validate-config", "--config", map.toString());

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains(map + ":11: key 'images.illumos.ram': unknown key");
    }

    @Test
    void badQueueSettingsStopTheDaemonBeforeItStartsNamingTheOption() {
        Run type = run("--hypervisor", "noop", "--queue-type", "stream");
        Run pending = run("--hypervisor", "noop", "--max-pending", "0");
        Run limit = run("--hypervisor", "noop", "--queue-type", "quorum", "--delivery-limit", "0");

        assertThat(type.status()).isNotZero();
        assertThat(type.err()).contains("--queue-type / QUEUE_TYPE: queue type must be classic or quorum, was 'stream'");
        assertThat(pending.status()).isNotZero();
        assertThat(pending.err()).contains("--max-pending / MAX_PENDING must be at least 1, was 0");
        assertThat(limit.status()).isNotZero();
        assertThat(limit.err()).contains("--delivery-limit / DELIVERY_LIMIT must be at least 1, was 0");
    }

    @Test
    void enqueueRefusesAHostileValueBeforePublishing() {
        Run r = run("enqueue", "--repo-url", "https://x.org/r.git", "--commit-sha", "$(reboot)",
                "--amqp-url", RabbitMq.uri().toString());

        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("commit_sha must be 7 to 64 hex digits");
    }

    @Test
    void enqueueWaitPrintsTheResultAndExitsWithTheJobsSuccess() throws Exception {
        try (NoopDaemonHarness harness = new NoopDaemonHarness(dir)) {
            harness.start();
            var a = harness.amqp();

            var args = new java.util.ArrayList<>(java.util.List.of("enqueue", "--repo-url", "https://x.org/r.git",
                    "--commit-sha", "abcdef0", "--runs-on", "illumos", "--wait", "--wait-timeout", "60s"));
            args.addAll(org.solstice.orchestrator.testing.DaemonProcess.amqpArguments(
                    a.withUri(RabbitMq.uri())));
            Run r = run(args.toArray(String[]::new));

            assertThat(r.status()).as(r.err()).isZero();
            String[] lines = r.out().split("\n");
            assertThat(lines[0]).matches("[0-9a-f-]{36}");
            assertThat(lines[1]).isEqualTo(lines[0] + ": success (exit code 0)");

            Run list = run("jobs", "list", "--state-dir", dir.resolve("state").toString());
            assertThat(list.status()).as(list.err()).isZero();
            assertThat(list.out()).contains(lines[0]).contains("FINISHED").contains("illumos").contains("SUCCESS");

            Run show = run("jobs", "show", lines[0], "--state-dir", dir.resolve("state").toString());
            assertThat(show.status()).as(show.err()).isZero();
            assertThat(show.out()).contains("state:       FINISHED").contains("attempts:    1")
                    .contains("result:      success, exit code 0").contains("abcdef0");

            assertThat(run("jobs", "show", java.util.UUID.randomUUID().toString(), "--state-dir",
                    dir.resolve("state").toString()).status()).isEqualTo(1);
        }
    }
}
