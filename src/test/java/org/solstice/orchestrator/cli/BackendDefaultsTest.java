package org.solstice.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.daemon.DaemonConfig;
import org.solstice.orchestrator.hypervisor.BackendOptions;
import picocli.CommandLine;

/** The backend options' defaults come from the backends, and the CLI hands what it read over as BackendOptions. */
class BackendDefaultsTest {

    private static DaemonOptions parse(String... args) {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs(args);
        return run.options;
    }

    @Test
    void unsetBackendOptionsShowAndTakeTheBackendsDefaults() {
        DaemonOptions options = parse();

        assertThat(options.zonesImagesDataset).isEqualTo("rpool/solstice/images");
        assertThat(options.zonesJobsDataset).isEqualTo("rpool/solstice/jobs");
        assertThat(options.zonesRoot).isEqualTo(Path.of("/zones/solstice"));
        assertThat(options.zonesLink).as("no default: required when zones runs").isNull();
        assertThat(options.libvirtUri).isEqualTo("qemu:///system");
        assertThat(options.libvirtNetwork).isEqualTo("default");
        assertThat(options.libvirtDomainType).isNull();
        assertThat(options.noopRunTime).isEqualTo(Duration.ofSeconds(1));
        assertThat(new CommandLine(new RunCommand()).getUsageMessage().replaceAll("\\s+", ""))
                .as("the help, its line breaks removed")
                .contains("(envZONES_IMAGES_DATASET;default:rpool/solstice/images)")
                .contains("(envZONES_ROOT;default:/zones/solstice)")
                .contains("(envLIBVIRT_URI;default:qemu:///system)");
    }

    @Test
    void aBackendOptionsEnvironmentVariableWinsOverTheBackendsDefault(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("help.txt");
        ProcessBuilder help = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.solstice.orchestrator.Main", "run", "--help")
                .redirectErrorStream(true).redirectOutput(out.toFile());
        help.environment().put("ZONES_ROOT", "/from/the/environment");
        help.environment().remove("ZONES_JOBS_DATASET");
        Process process = help.start();
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("--help exits within 60 s").isTrue();
        } finally {
            process.destroyForcibly();
        }

        assertThat(Files.readString(out, StandardCharsets.UTF_8).replaceAll("\\s+", ""))
                .as("the help, its line breaks removed")
                .contains("(envZONES_ROOT;default:/from/the/environment)")
                .contains("(envZONES_JOBS_DATASET;default:rpool/solstice/jobs)");
    }

    @Test
    void theOperatorsValuesReachTheBackendsOptions() {
        DaemonConfig config = parse("--hypervisor", " Noop ", "--zones-link", "igb0", "--zones-root", "/tank/zones",
                "--libvirt-network", "solstice-test", "--noop-run-time", "250ms").toConfig();

        BackendOptions backends = config.backendOptions();
        assertThat(config.hypervisor()).isEqualTo("noop");
        assertThat(backends.of("zones").string("link")).hasValue("igb0");
        assertThat(backends.of("zones").path("root")).hasValue(Path.of("/tank/zones"));
        assertThat(backends.of("zones").string("images-dataset")).hasValue("rpool/solstice/images");
        assertThat(backends.of("libvirt").string("network")).hasValue("solstice-test");
        assertThat(backends.of("noop").duration("run-time")).hasValue(Duration.ofMillis(250));
    }

    @Test
    void anUnknownHypervisorIsABadOptionNamingTheKnownBackends() {
        assertThatThrownBy(() -> parse("--hypervisor", "vmware").toConfig())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown backend 'vmware' (known: auto, libvirt, noop, zones)");
    }
}
