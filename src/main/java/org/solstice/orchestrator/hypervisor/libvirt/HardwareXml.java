package org.solstice.orchestrator.hypervisor.libvirt;

import java.nio.file.Files;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.solstice.orchestrator.hypervisor.GuestHardware;
import org.solstice.orchestrator.hypervisor.GuestHardware.CpuModel;
import org.solstice.orchestrator.hypervisor.VmSpec;

/**
 * The parts of a domain that follow the image's {@link GuestHardware}: machine type, firmware, CPU model, and
 * the virtio-rng every guest gets. {@link #refuseUnsupported} says before anything is made when this host cannot
 * give an image what it asks for.
 */
final class HardwareXml {
    private HardwareXml() {
    }

    /** Why this host cannot run the spec's hardware, as an exception; nothing when it can. */
    static void refuseUnsupported(VmSpec spec, LibvirtConfig config) {
        GuestHardware hw = spec.hardware();
        String type = config.effectiveDomainType();
        if (hw.cpu().kind() == CpuModel.Kind.HOST_PASSTHROUGH && !"kvm".equals(type)) {
            throw new IllegalArgumentException("image " + spec.imageName() + " asks for cpu host-passthrough, which"
                    + " needs KVM; this host runs domain type " + type + " (leave cpu unset or name a model)");
        }
        if (hw.firmware() == GuestHardware.Firmware.UEFI && !"test".equals(type)
                && !Files.isRegularFile(config.uefiFirmware())) {
            throw new IllegalArgumentException("image " + spec.imageName() + " asks for firmware uefi, but "
                    + config.uefiFirmware() + " does not exist (install Debian's ovmf package)");
        }
    }

    static String machine(VmSpec spec, LibvirtConfig config) {
        return spec.hardware().machine() != null ? spec.hardware().machine().value() : config.machine();
    }

    /** Whether the machine is a q35 one ({@code q35}, {@code pc-q35-7.2}, ...): PCI Express, no IDE bus. */
    static boolean isQ35(VmSpec spec, LibvirtConfig config) {
        String machine = machine(spec, config);
        return machine.equals("q35") || machine.startsWith("pc-q35");
    }

    /**
     * Inside {@code <os>}: OVMF as a ROM for UEFI (its variables are in memory only, so there is no per-VM NVRAM
     * file to create, keep or undefine); nothing for BIOS.
     */
    static void loader(XMLStreamWriter w, VmSpec spec, LibvirtConfig config) throws XMLStreamException {
        if (spec.hardware().firmware() != GuestHardware.Firmware.UEFI) {
            return;
        }
        w.writeStartElement("loader");
        w.writeAttribute("type", "rom");
        w.writeCharacters(DomainXml.checked(config.uefiFirmware().toAbsolutePath().toString()));
        w.writeEndElement();
    }

    /**
     * {@code <cpu>}: host-passthrough when asked for, or by default on KVM; host-model; a named model that
     * libvirt must give exactly. By default under software emulation: no element, so QEMU's default model.
     */
    static void cpu(XMLStreamWriter w, VmSpec spec, LibvirtConfig config) throws XMLStreamException {
        CpuModel cpu = spec.hardware().cpu();
        CpuModel.Kind kind = cpu.kind();
        if (kind == CpuModel.Kind.AUTOMATIC) {
            if (!"kvm".equals(config.effectiveDomainType())) {
                return;
            }
            kind = CpuModel.Kind.HOST_PASSTHROUGH;
        }
        switch (kind) {
            case HOST_PASSTHROUGH -> {
                w.writeEmptyElement("cpu");
                w.writeAttribute("mode", "host-passthrough");
                w.writeAttribute("check", "none");
            }
            case HOST_MODEL -> {
                w.writeEmptyElement("cpu");
                w.writeAttribute("mode", "host-model");
            }
            case NAMED -> {
                w.writeStartElement("cpu");
                w.writeAttribute("mode", "custom");
                w.writeAttribute("match", "exact");
                w.writeStartElement("model");
                w.writeAttribute("fallback", "forbid");
                w.writeCharacters(DomainXml.checked(cpu.name()));
                w.writeEndElement();
                w.writeEndElement();
            }
            default -> throw new IllegalStateException("unexpected CPU kind " + kind);
        }
    }

    /** A virtio-rng fed from the host's /dev/urandom: guests otherwise start short of entropy. */
    static void rng(XMLStreamWriter w) throws XMLStreamException {
        w.writeStartElement("rng");
        w.writeAttribute("model", "virtio");
        w.writeStartElement("backend");
        w.writeAttribute("model", "random");
        w.writeCharacters("/dev/urandom");
        w.writeEndElement();
        w.writeEndElement();
    }
}
