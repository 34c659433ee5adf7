package org.solstice.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ImageMapLoaderTest {
    static final Path FILE = Path.of("/etc/solstice/map.yaml");

    static final String VALID = """
            default_label: illumos-latest
            aliases:
              illumos-latest: openindiana-hipster
              latest: illumos-latest
            sizes:
              huge: { cpus: 8, memory: 16G }
            images:
              openindiana-hipster:
                source: https://dlc.openindiana.org/isos/hipster/20250402/OI-hipster-cloudimage.img.zstd
                local_path: /var/lib/solstice/images/oi.img
                decompress: zstd
                nocloud: true
                size: medium
                disk: 20G
              ubuntu-22.04:
                source: file:///srv/images/ubuntu.qcow2
                local_path: images/ubuntu.qcow2
                size: huge
                memory: 4096
                backend: libvirt
                timeout: 30m
            """;

    static ConfigException error(String yaml) {
        try {
            ImageMapLoader.parse(FILE, yaml);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("the map was accepted:\n" + yaml);
    }

    @Test
    void loadsImagesAliasesAndSizes() {
        ImageMap map = ImageMapLoader.parse(FILE, VALID);

        ImageDefinition oi = map.resolve("latest").orElseThrow();
        assertThat(oi.name()).isEqualTo("openindiana-hipster");
        assertThat(oi.decompress()).isEqualTo(Decompression.ZSTD);
        assertThat(oi.cpus()).isEqualTo(2);
        assertThat(oi.memoryMiB()).isEqualTo(2048);
        assertThat(oi.diskGiB()).isEqualTo(20);
        assertThat(map.resolve(null)).contains(oi);
        assertThat(map.chain("latest")).containsExactly("latest", "illumos-latest", "openindiana-hipster");

        ImageDefinition ubuntu = map.resolve("ubuntu-22.04").orElseThrow();
        assertThat(ubuntu.cpus()).isEqualTo(8);
        assertThat(ubuntu.memoryMiB()).as("explicit memory overrides the preset").isEqualTo(4096);
        assertThat(ubuntu.localPath()).as("relative to the map file").isEqualTo(Path.of("/etc/solstice/images/ubuntu.qcow2"));
        assertThat(ubuntu.backend()).isEqualTo("libvirt");
        assertThat(ubuntu.timeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(ubuntu.decompress()).isEqualTo(Decompression.NONE);
        assertThat(map.resolve("nope")).isEmpty();
    }

    @Test
    void theShippedExampleIsValid() {
        ImageMap map = ImageMapLoader.load(Path.of("examples/orchestrator-image-map.yaml"));

        assertThat(map.defaultLabel()).isEqualTo("illumos-latest");
        ImageDefinition oi = map.resolve("illumos-latest").orElseThrow();
        assertThat(oi.name()).isEqualTo("openindiana-hipster");
        assertThat(oi.source().toString())
                .isEqualTo("https://dlc.openindiana.org/isos/hipster/20250402/OI-hipster-cloudimage.img.zstd");
        assertThat(oi.nocloud()).isTrue();
        assertThat(oi.decompress()).isEqualTo(Decompression.ZSTD);
    }

    @Test
    void anUnknownKeyNamesFileLineAndKey() {
        ConfigException e = error(VALID.replace("    nocloud: true", "    nocloud: true\n    cpu_count: 4"));

        assertThat(e.getMessage()).startsWith("/etc/solstice/map.yaml:13: key 'images.openindiana-hipster.cpu_count'");
        assertThat(e.line()).isEqualTo(13);
        assertThat(e).hasMessageContaining("unknown key");
    }

    @Test
    void anUnknownTopLevelKeyIsRejected() {
        assertThat(error("imagez: {}\n" + VALID).getMessage()).contains(":1: key 'imagez': unknown key");
    }

    @Test
    void anAliasCycleIsRejected() {
        ConfigException e = error(VALID.replace("  latest: illumos-latest", "  latest: loop\n  loop: latest"));

        assertThat(e).hasMessageContaining("alias cycle").hasMessageContaining("latest -> loop -> latest");
    }

    @Test
    void anAliasToNothingIsRejected() {
        ConfigException e = error(VALID.replace("latest: illumos-latest", "latest: debian-13"));

        assertThat(e.getMessage()).contains(":4: key 'aliases.latest'").contains("debian-13");
    }

    @Test
    void aDefaultLabelThatResolvesToNothingIsRejected() {
        ConfigException e = error(VALID.replace("default_label: illumos-latest", "default_label: solaris"));

        assertThat(e.getMessage()).contains(":1: key 'default_label'").contains("'solaris' resolves to nothing");
    }

    @Test
    void badSizesAreRejected() {
        assertThat(error(VALID.replace("size: medium", "size: gigantic")).getMessage())
                .contains("images.openindiana-hipster.size").contains("unknown size 'gigantic'");
        assertThat(error(VALID.replace("memory: 16G", "memory: lots")).getMessage())
                .contains("sizes.huge.memory").contains("not a size");
        assertThat(error(VALID.replace("cpus: 8", "cpus: 0")).getMessage())
                .contains("sizes.huge.cpus").contains("between 1 and 256");
        assertThat(error(VALID.replace("disk: 20G", "disk: 1500M")).getMessage())
                .contains("images.openindiana-hipster.disk").contains("whole number of GiB");
        assertThat(error(VALID.replace("memory: 4096", "memory: 12")).getMessage())
                .contains("at least 64M");
    }

    @Test
    void anUnknownDecompressValueIsRejected() {
        ConfigException e = error(VALID.replace("decompress: zstd", "decompress: xz"));

        assertThat(e.getMessage()).contains(":11: key 'images.openindiana-hipster.decompress'")
                .contains("unknown value 'xz'");
    }

    @Test
    void otherMistakesAreNamedToo() {
        assertThat(error(VALID.replace("backend: libvirt", "backend: vmware")).getMessage()).contains("unknown backend");
        assertThat(error(VALID.replace("file:///srv", "ftp://srv")).getMessage()).contains("https, http or file URL");
        assertThat(error(VALID.replace("    local_path: images/ubuntu.qcow2\n", "")).getMessage())
                .contains("images.ubuntu-22.04.local_path").contains("is required");
        assertThat(error("default_label: x\nimages: {}\n").getMessage()).contains("at least one image");
        assertThat(error("default_label: [oops\n").getMessage()).contains("not valid YAML");
        assertThat(error(VALID.replace("nocloud: true", "nocloud: maybe")).getMessage()).contains("true or false");
        assertThat(error(VALID + "  ubuntu-22.04:\n    source: file:///a\n    local_path: /b\n").getMessage())
                .contains("appears twice");
    }

    @Test
    void capacityMapResolvesAliasesAndRejectsMistakes() {
        ImageMap map = ImageMapLoader.parse(FILE, VALID);

        CapacityMap capacities = CapacityMap.parse("illumos-latest=2, ubuntu-22.04=4", map);
        assertThat(capacities.capacityOf("openindiana-hipster")).hasValue(2);
        assertThat(capacities.capacityOf("ubuntu-22.04")).hasValue(4);

        assertThatThrownBy(() -> CapacityMap.parse("debian=2", map)).hasMessageContaining("label 'debian' is not in");
        assertThatThrownBy(() -> CapacityMap.parse("ubuntu-22.04=many", map)).hasMessageContaining("whole number");
        assertThatThrownBy(() -> CapacityMap.parse("ubuntu-22.04=0", map)).hasMessageContaining("between 1 and");
        assertThatThrownBy(() -> CapacityMap.parse("ubuntu-22.04", map)).hasMessageContaining("LABEL=NUMBER");
        assertThatThrownBy(() -> CapacityMap.parse("latest=1,openindiana-hipster=2", map))
                .hasMessageContaining("already has a capacity");
    }
}
