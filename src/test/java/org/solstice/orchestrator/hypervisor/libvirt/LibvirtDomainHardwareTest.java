package org.solstice.orchestrator.hypervisor.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.solstice.orchestrator.testing.VmSpecs.aVmSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.solstice.orchestrator.hypervisor.GuestHardware;
import org.solstice.orchestrator.hypervisor.GuestHardware.CpuModel;
import org.solstice.orchestrator.hypervisor.GuestHardware.DiskCache;
import org.solstice.orchestrator.hypervisor.GuestHardware.Firmware;
import org.solstice.orchestrator.hypervisor.GuestHardware.Machine;
import org.solstice.orchestrator.hypervisor.VmSpec;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The image's hardware settings ({@link GuestHardware}) in the domain XML, each with its default. */
class LibvirtDomainHardwareTest {
    private static final UUID ID = UUID.fromString("0c3a8e55-9a6f-4d2b-8f0e-7d7a3c1b2e44");
    private static final Path JOB_DIR = Path.of("/var/lib/solstice/jobs/hw");
    private static final Path OVMF = Path.of("/usr/share/ovmf/OVMF.fd");

    private static VmSpec spec(GuestHardware hardware) {
        return aVmSpec().forJob(ID).image("debian-12", Path.of("/images/d.qcow2")).cpus(2)
                .memoryMiB(1024).instanceId("orch-1").jobDir(JOB_DIR).hardware(hardware).build();
    }

    private static GuestHardware hardware(CpuModel cpu, DiskCache cache, Machine machine, Firmware firmware) {
        return new GuestHardware(cpu, cache, machine, firmware);
    }

    private static LibvirtConfig config(String domainType) {
        return LibvirtConfig.defaults().withNetwork("solstice-test").withDomainType(domainType)
                .withUefiFirmware(OVMF);
    }

    private static Document build(GuestHardware hardware, String domainType) {
        return DomainMetadata.parse(DomainXml.build(spec(hardware), config(domainType), JOB_DIR.resolve("disk.qcow2"),
                JOB_DIR.resolve("seed.iso")));
    }

    private static NodeList all(Document doc, String tag) {
        return doc.getElementsByTagName(tag);
    }

    private static Element only(Document doc, String tag) {
        NodeList nodes = all(doc, tag);
        assertThat(nodes.getLength()).as("number of <%s>", tag).isEqualTo(1);
        return (Element) nodes.item(0);
    }

    private static Element disk(Document doc, String device) {
        NodeList disks = all(doc, "disk");
        for (int i = 0; i < disks.getLength(); i++) {
            Element disk = (Element) disks.item(i);
            if (disk.getAttribute("device").equals(device)) {
                return disk;
            }
        }
        throw new AssertionError("no disk with device=" + device);
    }

    private static Element child(Element parent, String tag) {
        return (Element) parent.getElementsByTagName(tag).item(0);
    }

    @Test
    void byDefaultKvmGuestsGetTheHostsCpu() {
        Element cpu = only(build(GuestHardware.DEFAULTS, "kvm"), "cpu");

        assertThat(cpu.getAttribute("mode")).isEqualTo("host-passthrough");
    }

    @Test
    void byDefaultEmulatedGuestsKeepQemusDefaultCpuBecauseTheyCannotPassTheHostsThrough() {
        assertThat(all(build(GuestHardware.DEFAULTS, "qemu"), "cpu").getLength()).isZero();
        assertThat(all(build(GuestHardware.DEFAULTS, "test"), "cpu").getLength()).isZero();
    }

    @Test
    void hostModelAndNamedModelsAreWrittenAsAsked() {
        GuestHardware hostModel = hardware(CpuModel.parse("host-model"), DiskCache.UNSAFE, null, Firmware.BIOS);
        assertThat(only(build(hostModel, "qemu"), "cpu").getAttribute("mode")).isEqualTo("host-model");

        GuestHardware named = hardware(CpuModel.parse("Skylake-Client-v4"), DiskCache.UNSAFE, null, Firmware.BIOS);
        Element cpu = only(build(named, "kvm"), "cpu");
        assertThat(cpu.getAttribute("mode")).isEqualTo("custom");
        assertThat(cpu.getAttribute("match")).isEqualTo("exact");
        Element model = child(cpu, "model");
        assertThat(model.getTextContent()).isEqualTo("Skylake-Client-v4");
        assertThat(model.getAttribute("fallback")).isEqualTo("forbid");

        GuestHardware passthrough = hardware(CpuModel.parse("host-passthrough"), DiskCache.UNSAFE, null,
                Firmware.BIOS);
        assertThat(only(build(passthrough, "kvm"), "cpu").getAttribute("mode")).isEqualTo("host-passthrough");
    }

    @Test
    void hostPassthroughWithoutKvmIsRefusedBeforeAnythingIsMade() {
        GuestHardware passthrough = hardware(CpuModel.parse("host-passthrough"), DiskCache.UNSAFE, null,
                Firmware.BIOS);

        assertThatThrownBy(() -> HardwareXml.refuseUnsupported(spec(passthrough), config("qemu")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host-passthrough")
                .hasMessageContaining("domain type qemu");
        HardwareXml.refuseUnsupported(spec(passthrough), config("kvm"));
        HardwareXml.refuseUnsupported(spec(GuestHardware.DEFAULTS), config("qemu"));
    }

    @Test
    void everyGuestGetsAVirtioRngFromUrandomAndAGenerationId() {
        Document doc = build(GuestHardware.DEFAULTS, "qemu");

        Element rng = only(doc, "rng");
        assertThat(rng.getAttribute("model")).isEqualTo("virtio");
        Element backend = child(rng, "backend");
        assertThat(backend.getAttribute("model")).isEqualTo("random");
        assertThat(backend.getTextContent()).isEqualTo("/dev/urandom");
        Element genid = only(doc, "genid");
        assertThat(genid.getParentNode()).isEqualTo(doc.getDocumentElement());
        assertThat(genid.getTextContent()).as("libvirt generates the id").isEmpty();
    }

    @Test
    void theOverlayIsUnsafeCachedAndDiscardsByDefaultAndTheCautiousCanChoose() {
        Element driver = child(disk(build(GuestHardware.DEFAULTS, "qemu"), "disk"), "driver");
        assertThat(driver.getAttribute("cache")).isEqualTo("unsafe");
        assertThat(driver.getAttribute("discard")).isEqualTo("unmap");

        GuestHardware cautious = hardware(CpuModel.AUTOMATIC, DiskCache.parse("none"), null, Firmware.BIOS);
        Element cautiousDriver = child(disk(build(cautious, "qemu"), "disk"), "driver");
        assertThat(cautiousDriver.getAttribute("cache")).isEqualTo("none");
        assertThat(cautiousDriver.getAttribute("discard")).isEqualTo("unmap");

        Element seedDriver = child(disk(build(GuestHardware.DEFAULTS, "qemu"), "cdrom"), "driver");
        assertThat(seedDriver.hasAttribute("cache")).as("the read-only seed keeps QEMU's default").isFalse();
    }

    @Test
    void byDefaultTheMachineIsPcWithTheSeedOnIde() {
        Document doc = build(GuestHardware.DEFAULTS, "qemu");

        assertThat(only(doc, "type").getAttribute("machine")).isEqualTo("pc");
        Element target = child(disk(doc, "cdrom"), "target");
        assertThat(target.getAttribute("bus")).isEqualTo("ide");
        assertThat(target.getAttribute("dev")).isEqualTo("hdc");
        assertThat(all(doc, "controller").getLength()).isZero();
    }

    @Test
    void q35HasNoIdeSoTheSeedIsACdromOnVirtioScsi() {
        Document doc = build(hardware(CpuModel.AUTOMATIC, DiskCache.UNSAFE, Machine.Q35, Firmware.BIOS), "qemu");

        assertThat(only(doc, "type").getAttribute("machine")).isEqualTo("q35");
        Element controller = only(doc, "controller");
        assertThat(controller.getAttribute("type")).isEqualTo("scsi");
        assertThat(controller.getAttribute("model")).isEqualTo("virtio-scsi");
        Element cdrom = disk(doc, "cdrom");
        assertThat(child(cdrom, "target").getAttribute("bus")).isEqualTo("scsi");
        assertThat(child(cdrom, "target").getAttribute("dev")).isEqualTo("sda");
        assertThat(cdrom.getElementsByTagName("readonly").getLength()).isEqualTo(1);
        assertThat(child(disk(doc, "disk"), "target").getAttribute("bus")).isEqualTo("virtio");
    }

    @Test
    void aQ35MachineNamedInTheBackendsConfigAlsoMovesTheSeed() {
        String xml = DomainXml.build(spec(GuestHardware.DEFAULTS), config("qemu").withMachine("pc-q35-7.2"),
                JOB_DIR.resolve("disk.qcow2"), JOB_DIR.resolve("seed.iso"));

        assertThat(child(disk(DomainMetadata.parse(xml), "cdrom"), "target").getAttribute("bus")).isEqualTo("scsi");
    }

    @Test
    void biosGuestsHaveNoLoaderAndUefiGuestsLoadOvmfAsARom() {
        assertThat(all(build(GuestHardware.DEFAULTS, "qemu"), "loader").getLength()).isZero();

        Document doc = build(hardware(CpuModel.AUTOMATIC, DiskCache.UNSAFE, Machine.Q35, Firmware.UEFI), "qemu");
        Element loader = only(doc, "loader");
        assertThat(loader.getParentNode().getNodeName()).isEqualTo("os");
        assertThat(loader.getAttribute("type")).isEqualTo("rom");
        assertThat(loader.getTextContent()).isEqualTo(OVMF.toString());
        assertThat(all(doc, "nvram").getLength()).as("no per-VM variable store to clean up").isZero();
    }

    @Test
    void uefiWithoutOvmfIsRefusedBeforeAnythingIsMade(@TempDir Path dir) throws Exception {
        GuestHardware uefi = hardware(CpuModel.AUTOMATIC, DiskCache.UNSAFE, null, Firmware.UEFI);
        Path missing = dir.resolve("OVMF.fd");

        assertThatThrownBy(() -> HardwareXml.refuseUnsupported(spec(uefi), config("qemu").withUefiFirmware(missing)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("ovmf");

        Files.writeString(missing, "firmware");
        HardwareXml.refuseUnsupported(spec(uefi), config("qemu").withUefiFirmware(missing));
    }
}
