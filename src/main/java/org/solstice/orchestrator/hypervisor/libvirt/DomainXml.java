package org.solstice.orchestrator.hypervisor.libvirt;

import java.io.StringWriter;
import java.nio.file.Path;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.solstice.orchestrator.hypervisor.VmSpec;

/**
 * Builds a job's libvirt domain XML with a StAX writer, so every value from the job is escaped as XML data.
 *
 * <p>Layout: virtio disk (the overlay), the NoCloud seed as an IDE CD-ROM on {@code hdc} (real Ubuntu images
 * mis-detect their root disk when both are virtio, and the test kernel has no AHCI), a virtio NIC on the
 * configured network, serial console into the job's console log, ACPI on (graceful stop presses the power
 * button), and {@code <metadata>} naming the orchestrator instance and the request id ({@link DomainMetadata}).
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
            metadata(w, spec);
            w.writeStartElement("memory");
            w.writeAttribute("unit", "MiB");
            w.writeCharacters(Long.toString(spec.memoryMiB()));
            w.writeEndElement();
            element(w, "vcpu", Integer.toString(spec.cpus()));

            w.writeStartElement("os");
            w.writeStartElement("type");
            w.writeAttribute("arch", checked(config.arch()));
            w.writeAttribute("machine", checked(config.machine()));
            w.writeCharacters("hvm");
            w.writeEndElement();
            w.writeEmptyElement("boot");
            w.writeAttribute("dev", "hd");
            w.writeEndElement();
            w.writeStartElement("features");
            w.writeEmptyElement("acpi");
            w.writeEndElement();
            element(w, "on_poweroff", "destroy");
            element(w, "on_reboot", "destroy");
            element(w, "on_crash", "destroy");

            w.writeStartElement("devices");
            if (config.emulator() != null) {
                element(w, "emulator", config.emulator());
            }
            disk(w, "disk", "qcow2", overlay, "vda", "virtio");
            if (seed != null) {
                disk(w, "cdrom", "raw", seed, "hdc", "ide");
            }
            w.writeStartElement("interface");
            w.writeAttribute("type", "network");
            emptyWith(w, "source", "network", config.network());
            emptyWith(w, "model", "type", "virtio");
            w.writeEndElement();
            console(w, "serial", spec.consoleLog(), null);
            console(w, "console", spec.consoleLog(), "serial");
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

    private static void disk(XMLStreamWriter w, String device, String format, Path file, String target, String bus)
            throws XMLStreamException {
        w.writeStartElement("disk");
        w.writeAttribute("type", "file");
        w.writeAttribute("device", device);
        w.writeEmptyElement("driver");
        w.writeAttribute("name", "qemu");
        w.writeAttribute("type", format);
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

    private static void element(XMLStreamWriter w, String name, String text) throws XMLStreamException {
        w.writeStartElement(name);
        w.writeCharacters(checked(text));
        w.writeEndElement();
    }

    private static void emptyWith(XMLStreamWriter w, String name, String attribute, String value)
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
