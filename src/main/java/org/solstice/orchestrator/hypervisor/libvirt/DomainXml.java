package org.solstice.orchestrator.hypervisor.libvirt;

import java.io.StringWriter;
import java.nio.file.Path;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.solstice.orchestrator.hypervisor.GuestHardware;
import org.solstice.orchestrator.hypervisor.VmSpec;

/**
 * Builds a job's libvirt domain XML with a StAX writer, so every value from the job is escaped as XML data.
 *
 * <p>Layout: virtio disk (the overlay, with the image's cache mode and {@code discard='unmap'}), the NoCloud
 * seed as a CD-ROM (IDE {@code hdc} on machine {@code pc}; on {@code q35}, which has no IDE, on virtio-scsi:
 * real Ubuntu images mis-detect their root disk when both are virtio-blk, and Debian's cloud kernel has no AHCI
 * for a SATA CD-ROM), a virtio NIC on the configured network, a virtio-rng fed from the host's /dev/urandom, a VM
 * generation ID, serial console into the job's console log, the job's own channel (a virtio-serial port named
 * {@link VmSpec#JOB_CHANNEL}) into the job's channel log, ACPI on (graceful stop presses the power button), and
 * {@code <metadata>} naming the orchestrator instance and the request id ({@link DomainMetadata}). The CPU model
 * and firmware follow the image ({@link GuestHardware}, written by {@link HardwareXml}).
 */
final class DomainXml {
    private DomainXml() {
    }

    /**
     * @param seed the seed ISO, or null for a VM without a NoCloud seed
     */
    static String build(VmSpec spec, LibvirtConfig config, Path overlay, Path seed) {
        StringWriter out = new StringWriter(2048);
        try {
            XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            w.writeStartElement("domain");
            w.writeAttribute("type", checked(config.effectiveDomainType()));
            element(w, "name", spec.vmName());
            element(w, "uuid", spec.jobId().toString());
            w.writeEmptyElement("genid"); // libvirt generates the ID; the next issue's restored guests need it
            metadata(w, spec);
            w.writeStartElement("memory");
            w.writeAttribute("unit", "MiB");
            w.writeCharacters(Long.toString(spec.memoryMiB()));
            w.writeEndElement();
            element(w, "vcpu", Integer.toString(spec.cpus()));

            w.writeStartElement("os");
            w.writeStartElement("type");
            w.writeAttribute("arch", checked(config.arch()));
            w.writeAttribute("machine", checked(HardwareXml.machine(spec, config)));
            w.writeCharacters("hvm");
            w.writeEndElement();
            HardwareXml.loader(w, spec, config);
            w.writeEmptyElement("boot");
            w.writeAttribute("dev", "hd");
            w.writeEndElement();
            w.writeStartElement("features");
            w.writeEmptyElement("acpi");
            w.writeEndElement();
            HardwareXml.cpu(w, spec, config);
            element(w, "on_poweroff", "destroy");
            element(w, "on_reboot", "destroy");
            element(w, "on_crash", "destroy");

            w.writeStartElement("devices");
            if (config.emulator() != null) {
                element(w, "emulator", config.emulator());
            }
            disk(w, "disk", "qcow2", overlay, "vda", "virtio", spec.hardware().diskCache());
            if (seed != null) {
                if (HardwareXml.isQ35(spec, config)) {
                    w.writeEmptyElement("controller");
                    w.writeAttribute("type", "scsi");
                    w.writeAttribute("index", "0");
                    w.writeAttribute("model", "virtio-scsi");
                    disk(w, "cdrom", "raw", seed, "sda", "scsi", null);
                } else {
                    disk(w, "cdrom", "raw", seed, "hdc", "ide", null);
                }
            }
            w.writeStartElement("interface");
            w.writeAttribute("type", "network");
            emptyWith(w, "source", "network", config.network());
            emptyWith(w, "model", "type", "virtio");
            w.writeEndElement();
            console(w, "serial", spec.consoleLog(), null);
            console(w, "console", spec.consoleLog(), "serial");
            channel(w, spec.channelLog());
            HardwareXml.rng(w);
            w.writeEndElement();

            w.writeEndElement();
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write domain XML for " + spec.vmName(), e);
        }
        return out.toString();
    }

    private static void metadata(XMLStreamWriter w, VmSpec spec) throws XMLStreamException {
        w.writeStartElement("metadata");
        w.writeStartElement(DomainMetadata.PREFIX, DomainMetadata.ELEMENT, DomainMetadata.NAMESPACE);
        w.writeNamespace(DomainMetadata.PREFIX, DomainMetadata.NAMESPACE);
        w.writeStartElement(DomainMetadata.PREFIX, DomainMetadata.INSTANCE, DomainMetadata.NAMESPACE);
        w.writeCharacters(checked(spec.instanceId()));
        w.writeEndElement();
        w.writeStartElement(DomainMetadata.PREFIX, DomainMetadata.REQUEST_ID, DomainMetadata.NAMESPACE);
        w.writeCharacters(spec.jobId().toString());
        w.writeEndElement();
        w.writeStartElement(DomainMetadata.PREFIX, DomainMetadata.IMAGE, DomainMetadata.NAMESPACE);
        w.writeCharacters(checked(spec.imageName()));
        w.writeEndElement();
        w.writeEndElement();
        w.writeEndElement();
    }

    /** @param cache the overlay's cache mode (with discard='unmap'), or null for the read-only seed */
    private static void disk(XMLStreamWriter w, String device, String format, Path file, String target, String bus,
                             GuestHardware.DiskCache cache) throws XMLStreamException {
        w.writeStartElement("disk");
        w.writeAttribute("type", "file");
        w.writeAttribute("device", device);
        w.writeEmptyElement("driver");
        w.writeAttribute("name", "qemu");
        w.writeAttribute("type", format);
        if (cache != null) {
            w.writeAttribute("cache", cache.value());
            w.writeAttribute("discard", "unmap");
        }
        emptyWith(w, "source", "file", file.toAbsolutePath().toString());
        w.writeEmptyElement("target");
        w.writeAttribute("dev", target);
        w.writeAttribute("bus", bus);
        if ("cdrom".equals(device)) {
            w.writeEmptyElement("readonly");
        }
        w.writeEndElement();
    }

    private static void console(XMLStreamWriter w, String kind, Path log, String targetType)
            throws XMLStreamException {
        w.writeStartElement(kind);
        w.writeAttribute("type", "file");
        w.writeEmptyElement("source");
        w.writeAttribute("path", checked(log.toAbsolutePath().toString()));
        w.writeAttribute("append", "on");
        w.writeEmptyElement("target");
        if (targetType != null) {
            w.writeAttribute("type", targetType);
        }
        w.writeAttribute("port", "0");
        w.writeEndElement();
    }

    /** The job's own channel: a virtio-serial port the guest writes the job's output to, kept in a file. */
    private static void channel(XMLStreamWriter w, Path file) throws XMLStreamException {
        w.writeStartElement("channel");
        w.writeAttribute("type", "file");
        w.writeEmptyElement("source");
        w.writeAttribute("path", checked(file.toAbsolutePath().toString()));
        w.writeAttribute("append", "on");
        w.writeEmptyElement("target");
        w.writeAttribute("type", "virtio");
        w.writeAttribute("name", VmSpec.JOB_CHANNEL);
        w.writeEndElement();
    }

    static void element(XMLStreamWriter w, String name, String text) throws XMLStreamException {
        w.writeStartElement(name);
        w.writeCharacters(checked(text));
        w.writeEndElement();
    }

    static void emptyWith(XMLStreamWriter w, String name, String attribute, String value)
            throws XMLStreamException {
        w.writeEmptyElement(name);
        w.writeAttribute(attribute, checked(value));
    }

    /** Characters XML 1.0 cannot carry at all (escaping does not help): refuse them rather than write bad XML. */
    static String checked(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0xFFFE || c == 0xFFFF) {
                throw new IllegalArgumentException("value contains a character XML cannot carry (U+"
                        + String.format("%04X", (int) c) + "): " + value.replaceAll("\\p{Cntrl}", "?"));
            }
        }
        return value;
    }
}
