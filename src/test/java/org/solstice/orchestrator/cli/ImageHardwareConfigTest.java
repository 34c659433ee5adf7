package org.solstice.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.cli.CliTest.Run;
import org.solstice.orchestrator.testing.LogCapture;
import org.solstice.orchestrator.testing.NoopDaemonHarness;

/** A bad hardware key in the image map stops validate-config and the daemon's start-up alike. */
class ImageHardwareConfigTest {
    @TempDir
    Path dir;

    private Path map(String extraKeyOfIllumos) throws Exception {
        Path map = dir.resolve("map.yaml");
        Files.writeString(map, NoopDaemonHarness.MAP.replace("local_path: oi.img",
                "local_path: oi.img\n    " + extraKeyOfIllumos));
        return map;
    }

    @Test
    void validateConfigShowsEachImagesHardware() throws Exception {
        Run r = CliTest.run("validate-config", "--config", map("machine: q35").toString());

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("hardware:   cpu host-passthrough on KVM (QEMU's default when emulated),"
                + " disk cache unsafe, machine q35, firmware bios");
    }

    @Test
    void validateConfigNamesFileLineAndKeyOfABadValue() throws Exception {
        Path map = map("firmware: coreboot");

        Run r = CliTest.run("validate-config", "--config", map.toString());

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains(map + ":11: key 'images.illumos.firmware': unknown firmware 'coreboot'");
    }

    @Test
    void theDaemonRefusesToStartWithABadValue() throws Exception {
        Path map = map("disk_cache: sometimes");

        try (LogCapture logs = new LogCapture()) {
            Run r = CliTest.run("--hypervisor", "noop", "--config", map.toString(), "--state-dir",
                    dir.resolve("state").toString());

            assertThat(r.status()).isNotZero();
            assertThat(logs.text()).as("the launcher's reason")
                    .contains("cannot start: " + map + ":11: key 'images.illumos.disk_cache': unknown disk cache mode");
        }
    }
}
