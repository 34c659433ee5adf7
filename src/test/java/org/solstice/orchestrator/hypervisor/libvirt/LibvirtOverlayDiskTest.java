package org.solstice.orchestrator.hypervisor.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.process.CommandFailedException;
import org.solstice.orchestrator.process.CommandRunner;

class LibvirtOverlayDiskTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final CommandRunner runner = new CommandRunner();

    @Test
    void infoAsksForJson() {
        assertThat(OverlayDisk.infoCommand(Path.of("/images/u.qcow2")))
                .containsExactly("qemu-img", "info", "--output=json", "/images/u.qcow2");
    }

    @Test
    void createWithoutASizeKeepsTheImagesSize() {
        assertThat(OverlayDisk.createCommand(Path.of("/images/u.img"), "raw", Path.of("/jobs/1/disk.qcow2"), 0))
                .containsExactly("qemu-img", "create", "-f", "qcow2", "-F", "raw", "-b", "/images/u.img",
                        "/jobs/1/disk.qcow2");
    }

    @Test
    void createWithASizeGrowsTheDisk() {
        assertThat(OverlayDisk.createCommand(Path.of("/images/u.qcow2"), "qcow2", Path.of("/jobs/1/disk.qcow2"), 20))
                .containsExactly("qemu-img", "create", "-f", "qcow2", "-F", "qcow2", "-b", "/images/u.qcow2",
                        "/jobs/1/disk.qcow2", "20G");
    }

    @Test
    void theFormatComesFromQemuImgInfo() {
        var info = OverlayDisk.parseInfo("{\"virtual-size\": 2361393152, \"filename\": \"u.img\", \"format\": \"raw\"}");

        assertThat(info.format()).isEqualTo("raw");
        assertThat(info.virtualSizeBytes()).isEqualTo(2361393152L);
        assertThatThrownBy(() -> OverlayDisk.parseInfo("{\"format\": \"raw -o x\"}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OverlayDisk.parseInfo("qemu-img: Could not open"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRealOverlayBacksOntoARawImageAndGrowsOnlyWhenAsked() throws Exception {
        Path base = dir.resolve("base.img");
        runner.check(List.of("qemu-img", "create", "-q", "-f", "raw", base.toString(), "64M"), TIMEOUT);
        OverlayDisk overlays = new OverlayDisk(runner, TIMEOUT);

        Path same = dir.resolve("same.qcow2");
        overlays.create(base, same, 0);
        JsonNode sameInfo = info(same);
        assertThat(sameInfo.path("format").asText()).isEqualTo("qcow2");
        assertThat(sameInfo.path("backing-filename").asText()).isEqualTo(base.toString());
        assertThat(sameInfo.path("backing-filename-format").asText()).isEqualTo("raw");
        assertThat(sameInfo.path("virtual-size").asLong()).isEqualTo(64L << 20);

        Path grown = dir.resolve("grown.qcow2");
        overlays.create(base, grown, 1);
        assertThat(info(grown).path("virtual-size").asLong()).isEqualTo(1L << 30);
    }

    @Test
    void aMissingImageFailsWithQemuImgsMessage() {
        OverlayDisk overlays = new OverlayDisk(runner, TIMEOUT);

        assertThatThrownBy(() -> overlays.create(dir.resolve("nope.img"), dir.resolve("o.qcow2"), 0))
                .isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("qemu-img info")
                .hasMessageContaining("nope.img");
    }

    private JsonNode info(Path image) throws Exception {
        return new ObjectMapper().readTree(runner.check(List.of("qemu-img", "info", "--output=json",
                image.toString()), TIMEOUT).stdout());
    }
}
