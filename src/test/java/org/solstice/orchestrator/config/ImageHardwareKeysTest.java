package org.solstice.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.solstice.orchestrator.hypervisor.GuestHardware;
import org.solstice.orchestrator.hypervisor.GuestHardware.CpuModel;
import org.solstice.orchestrator.hypervisor.GuestHardware.DiskCache;
import org.solstice.orchestrator.hypervisor.GuestHardware.Firmware;
import org.solstice.orchestrator.hypervisor.GuestHardware.Machine;

/** The image keys cpu, disk_cache, machine and firmware: defaults, every value, and mistakes named. */
class ImageHardwareKeysTest {
    private static final String MAP = """
            default_label: debian-12
            images:
              debian-12:
                source: file:///srv/images/debian.qcow2
                local_path: images/debian.qcow2
            %s
            """;

    private static GuestHardware hardwareOf(String keys) {
        return ImageMapLoader.parse(ImageMapLoaderTest.FILE, MAP.formatted(keys)).resolve("debian-12").orElseThrow()
                .hardware();
    }

    private static ConfigException error(String keys) {
        return ImageMapLoaderTest.error(MAP.formatted(keys));
    }

    @Test
    void anImageThatSetsNoneGetsTheDefaults() {
        GuestHardware hw = hardwareOf("");

        assertThat(hw).isEqualTo(GuestHardware.DEFAULTS);
        assertThat(hw.cpu().kind()).isEqualTo(CpuModel.Kind.AUTOMATIC);
        assertThat(hw.diskCache()).isEqualTo(DiskCache.UNSAFE);
        assertThat(hw.machine()).as("the backend's default machine").isNull();
        assertThat(hw.firmware()).isEqualTo(Firmware.BIOS);
    }

    @Test
    void everyKeyIsRead() {
        GuestHardware hw = hardwareOf("    cpu: host-model\n    disk_cache: none\n    machine: q35\n"
                + "    firmware: uefi");

        assertThat(hw).isEqualTo(new GuestHardware(new CpuModel(CpuModel.Kind.HOST_MODEL, null), DiskCache.NONE,
                Machine.Q35, Firmware.UEFI));
        assertThat(hardwareOf("    cpu: host-passthrough").cpu().kind()).isEqualTo(CpuModel.Kind.HOST_PASSTHROUGH);
        assertThat(hardwareOf("    cpu: EPYC-Rome").cpu()).isEqualTo(new CpuModel(CpuModel.Kind.NAMED, "EPYC-Rome"));
        assertThat(hardwareOf("    machine: pc").machine()).isEqualTo(Machine.PC);
        assertThat(hardwareOf("    firmware: BIOS").firmware()).isEqualTo(Firmware.BIOS);
        for (String cache : new String[] {"unsafe", "writeback", "writethrough", "directsync"}) {
            assertThat(hardwareOf("    disk_cache: " + cache).diskCache().value()).isEqualTo(cache);
        }
    }

    @Test
    void badValuesAreRefusedWithFileLineAndKey() {
        ConfigException machine = error("    machine: q36");
        assertThat(machine.file()).isEqualTo(ImageMapLoaderTest.FILE);
        assertThat(machine.line()).isEqualTo(6);
        assertThat(machine.key()).isEqualTo("images.debian-12.machine");
        assertThat(machine).hasMessageContaining("unknown machine type 'q36' (use pc, q35)");

        ConfigException firmware = error("    firmware: efi");
        assertThat(firmware.key()).isEqualTo("images.debian-12.firmware");
        assertThat(firmware).hasMessageContaining("unknown firmware 'efi' (use bios, uefi)");

        ConfigException cache = error("    disk_cache: fast");
        assertThat(cache.line()).isEqualTo(6);
        assertThat(cache.key()).isEqualTo("images.debian-12.disk_cache");
        assertThat(cache).hasMessageContaining("unknown disk cache mode 'fast' (use unsafe, none, writeback");

        ConfigException cpu = error("    cpu: \"host passthrough\"");
        assertThat(cpu.key()).isEqualTo("images.debian-12.cpu");
        assertThat(cpu).hasMessageContaining("is not a CPU model (use host-passthrough, host-model or a model name");
        assertThat(error("    cpu: '<model>'").key()).isEqualTo("images.debian-12.cpu");

        ConfigException empty = error("    machine: ''");
        assertThat(empty.key()).isEqualTo("images.debian-12.machine");
        assertThat(empty).hasMessageContaining("must not be empty");
        assertThat(error("    firmware: [uefi]")).hasMessageContaining("must be a single value");
    }
}
