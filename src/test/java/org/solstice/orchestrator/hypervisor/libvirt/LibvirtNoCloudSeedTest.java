package org.solstice.orchestrator.hypervisor.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.process.CommandRunner;

/** Builds real seed ISOs and reads them back with isoinfo (genisoimage's package). */
class LibvirtNoCloudSeedTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final CommandRunner runner = new CommandRunner();

    @Test
    void theSeedHasVolumeIdCidataAndBothFilesVerbatim() throws Exception {
        String userData = "#!/bin/sh\necho 'it''s \"quoted\" & <tagged> $(not run) caf\u00e9'\nexit 3\n";
        Path iso = dir.resolve("seed.iso");

        new NoCloudSeed(runner, TIMEOUT).create(iso, dir.resolve("seed.d"), "5b0d6b8e-2f57-4c3e-9a43-6f1d1f2f6a10",
                "job-5b0d6b8e", userData);

        assertThat(isoinfo("-d", "-i", iso.toString())).containsPattern("(?m)^Volume id: cidata$");
        assertThat(isoinfo("-R", "-i", iso.toString(), "-x", "/user-data")).isEqualTo(userData);
        assertThat(isoinfo("-R", "-i", iso.toString(), "-x", "/meta-data")).isEqualTo(
                "instance-id: '5b0d6b8e-2f57-4c3e-9a43-6f1d1f2f6a10'\nlocal-hostname: 'job-5b0d6b8e'\n");
        assertThat(isoinfo("-R", "-f", "-i", iso.toString()).lines().toList())
                .containsExactlyInAnyOrder("/user-data", "/meta-data");
        assertThat(dir.resolve("seed.d")).as("staging directory").doesNotExist();
    }

    @Test
    void anImagesNetworkConfigIsTheSeedsNetworkConfigFileVerbatim() throws Exception {
        String networkConfig = "# Solstice: network none\nversion: 2\nethernets: {}\n";
        Path iso = dir.resolve("seed.iso");

        new NoCloudSeed(runner, TIMEOUT).create(iso, dir.resolve("seed.d"), "5b0d6b8e-2f57-4c3e-9a43-6f1d1f2f6a10",
                "job-5b0d6b8e", "#!/bin/sh\n", networkConfig);

        assertThat(isoinfo("-R", "-i", iso.toString(), "-x", "/network-config")).isEqualTo(networkConfig);
        assertThat(isoinfo("-R", "-f", "-i", iso.toString()).lines().toList())
                .containsExactlyInAnyOrder("/user-data", "/meta-data", "/network-config");
        assertThat(dir.resolve("seed.d")).as("staging directory").doesNotExist();
    }

    @Test
    void metaDataValuesAreYamlQuoted() {
        assertThat(NoCloudSeed.metaData("id", "it's: #x")).isEqualTo("instance-id: 'id'\nlocal-hostname: 'it''s: #x'\n");
        assertThatThrownBy(() -> NoCloudSeed.metaData("id", "a\nb: c"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCommandNamesTheVolumeAndBothFiles() {
        assertThat(NoCloudSeed.command("genisoimage", Path.of("/jobs/1/seed.iso"))).containsExactly(
                "genisoimage", "-quiet", "-output", "/jobs/1/seed.iso", "-volid", "cidata", "-joliet", "-rock",
                "-input-charset", "utf-8", "user-data", "meta-data");
    }

    private String isoinfo(String... args) {
        List<String> command = new ArrayList<>(List.of("isoinfo"));
        command.addAll(List.of(args));
        return runner.check(command, TIMEOUT).stdout();
    }
}
