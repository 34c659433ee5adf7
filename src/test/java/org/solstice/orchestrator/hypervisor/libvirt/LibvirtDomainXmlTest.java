package org.solstice.orchestrator.hypervisor.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.solstice.orchestrator.testing.VmSpecs.aVmSpec;

import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.solstice.orchestrator.hypervisor.VmSpec;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class LibvirtDomainXmlTest {
    private static final String HOSTILE = "x</name><evil attr=\"1\"/>&amp;'\"<!-- & ]]> \u00e9";
    private static final UUID ID = UUID.fromString("5b0d6b8e-2f57-4c3e-9a43-6f1d1f2f6a10");
    private static final Path JOB_DIR = Path.of("/var/lib/solstice/jobs/it's <odd> & \"quoted\"");

    private static VmSpec spec(String instanceId) {
        return aVmSpec().forJob(ID).image(HOSTILE, Path.of("/images/u.qcow2")).cpus(2).memoryMiB(1536).diskGiB(20)
                .hostname("job-5b0d6b8e").instanceId(instanceId).jobDir(JOB_DIR).build();
    }

    private static LibvirtConfig config() {
        return LibvirtConfig.defaults().withNetwork("net&'<\">").withDomainType("qemu");
    }

    private static Document build(VmSpec spec, Path seed) {
        String xml = DomainXml.build(spec, config(), JOB_DIR.resolve("disk.qcow2"), seed);
        return DomainMetadata.parse(xml);
    }

    private static Element only(Document doc, String tag) {
        NodeList nodes = doc.getElementsByTagName(tag);
        assertThat(nodes.getLength()).as("number of <%s>", tag).isEqualTo(1);
        return (Element) nodes.item(0);
    }

    private static Element disk(Document doc, String device) {
        NodeList disks = doc.getElementsByTagName("disk");
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
    void theDomainHasTheSpecsNameSizeAndType() {
        Document doc = build(spec("orch-1"), JOB_DIR.resolve("seed.iso"));

        Element domain = doc.getDocumentElement();
        assertThat(domain.getTagName()).isEqualTo("domain");
        assertThat(domain.getAttribute("type")).isEqualTo("qemu");
        assertThat(only(doc, "name").getTextContent()).isEqualTo("job-5b0d6b8e-2f57-4c3e-9a43-6f1d1f2f6a10");
        assertThat(only(doc, "uuid").getTextContent()).isEqualTo(ID.toString());
        assertThat(only(doc, "vcpu").getTextContent()).isEqualTo("2");
        Element memory = only(doc, "memory");
        assertThat(memory.getAttribute("unit")).isEqualTo("MiB");
        assertThat(memory.getTextContent()).isEqualTo("1536");
        Element type = only(doc, "type");
        assertThat(type.getAttribute("machine")).isEqualTo("pc");
        assertThat(type.getAttribute("arch")).isEqualTo("x86_64");
        assertThat(doc.getElementsByTagName("acpi").getLength()).isEqualTo(1);
        assertThat(only(doc, "on_poweroff").getTextContent()).isEqualTo("destroy");
    }

    @Test
    void theOverlayIsAVirtioDiskAndTheSeedAnIdeCdrom() {
        Document doc = build(spec("orch-1"), JOB_DIR.resolve("seed.iso"));

        Element disk = disk(doc, "disk");
        assertThat(child(disk, "source").getAttribute("file")).isEqualTo(JOB_DIR.resolve("disk.qcow2").toString());
        assertThat(child(disk, "driver").getAttribute("type")).isEqualTo("qcow2");
        assertThat(child(disk, "target").getAttribute("dev")).isEqualTo("vda");
        assertThat(child(disk, "target").getAttribute("bus")).isEqualTo("virtio");

        Element cdrom = disk(doc, "cdrom");
        assertThat(child(cdrom, "source").getAttribute("file")).isEqualTo(JOB_DIR.resolve("seed.iso").toString());
        assertThat(child(cdrom, "driver").getAttribute("type")).isEqualTo("raw");
        assertThat(child(cdrom, "target").getAttribute("dev")).isEqualTo("hdc");
        assertThat(child(cdrom, "target").getAttribute("bus")).isEqualTo("ide");
        assertThat(cdrom.getElementsByTagName("readonly").getLength()).isEqualTo(1);
    }

    @Test
    void withoutASeedThereIsNoCdrom() {
        Document doc = build(spec("orch-1"), null);

        assertThat(doc.getElementsByTagName("disk").getLength()).isEqualTo(1);
    }

    @Test
    void theNicIsVirtioOnTheConfiguredNetworkAndTheConsoleGoesToTheJobsLog() {
        Document doc = build(spec("orch-1"), null);

        Element nic = only(doc, "interface");
        assertThat(nic.getAttribute("type")).isEqualTo("network");
        assertThat(child(nic, "source").getAttribute("network")).isEqualTo("net&'<\">");
        assertThat(child(nic, "model").getAttribute("type")).isEqualTo("virtio");

        String log = JOB_DIR.resolve("console.log").toString();
        Element serial = only(doc, "serial");
        assertThat(serial.getAttribute("type")).isEqualTo("file");
        assertThat(child(serial, "source").getAttribute("path")).isEqualTo(log);
        Element console = only(doc, "console");
        assertThat(child(console, "source").getAttribute("path")).isEqualTo(log);
        assertThat(child(console, "target").getAttribute("type")).isEqualTo("serial");
    }

    @Test
    void theJobsOwnChannelIsAVirtioSerialPortIntoAFileInTheJobDirectory() {
        Document doc = build(spec("orch-1"), null);

        Element channel = only(doc, "channel");
        assertThat(channel.getAttribute("type")).isEqualTo("file");
        assertThat(child(channel, "source").getAttribute("path"))
                .isEqualTo(JOB_DIR.resolve("channel.log").toString());
        Element target = child(channel, "target");
        assertThat(target.getAttribute("type")).isEqualTo("virtio");
        assertThat(target.getAttribute("name")).isEqualTo("org.solstice.job.0")
                .isEqualTo(org.solstice.orchestrator.guest.JobChannel.NAME);
    }

    @Test
    void hostileValuesStayDataInTheMetadata() {
        String xml = DomainXml.build(spec(HOSTILE), config(), JOB_DIR.resolve("disk.qcow2"), null);
        Document doc = DomainMetadata.parse(xml);

        assertThat(doc.getElementsByTagName("evil").getLength()).as("injected element").isZero();
        NodeList vm = doc.getElementsByTagNameNS(DomainMetadata.NAMESPACE, "vm");
        assertThat(vm.getLength()).isEqualTo(1);
        assertThat(vm.item(0).getParentNode().getNodeName()).isEqualTo("metadata");
        assertThat(DomainMetadata.instanceOf(xml)).hasValue(HOSTILE);
        assertThat(DomainMetadata.requestIdOf(xml)).hasValue(ID.toString());
        assertThat(doc.getElementsByTagNameNS(DomainMetadata.NAMESPACE, "image").item(0).getTextContent())
                .isEqualTo(HOSTILE);
    }

    @Test
    void theEmulatorIsNamedOnlyWhenConfigured() {
        assertThat(build(spec("orch-1"), null).getElementsByTagName("emulator").getLength()).isZero();

        String xml = DomainXml.build(spec("orch-1"), config().withEmulator("/opt/qemu/bin/qemu-system-x86_64"),
                JOB_DIR.resolve("disk.qcow2"), null);
        assertThat(only(DomainMetadata.parse(xml), "emulator").getTextContent())
                .isEqualTo("/opt/qemu/bin/qemu-system-x86_64");
    }

    @Test
    void aDomainWithoutOurMetadataBelongsToNoInstance() {
        assertThat(DomainMetadata.instanceOf("<domain type='qemu'><name>other</name></domain>")).isEmpty();
    }

    @Test
    void characterXmlCannotCarryIsRefused() {
        assertThatThrownBy(() -> DomainXml.build(spec("orch\u0001"), config(), JOB_DIR.resolve("d"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+0001");
    }
}
