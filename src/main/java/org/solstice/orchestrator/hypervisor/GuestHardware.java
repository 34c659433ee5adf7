package org.solstice.orchestrator.hypervisor;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The virtual hardware an image asks for (image map keys {@code cpu}, {@code disk_cache}, {@code machine},
 * {@code firmware}). Backend-neutral values; the libvirt backend turns them into domain XML, the zones backend
 * does not use them (bhyve chooses its own).
 *
 * @param cpu       CPU model the guest sees
 * @param diskCache host cache mode of the job's overlay disk
 * @param machine   machine type, or null for the backend's default ({@code pc})
 * @param firmware  how the guest boots
 */
public record GuestHardware(CpuModel cpu, DiskCache diskCache, Machine machine, Firmware firmware) {
    /** What an image that sets none of the keys gets. */
    public static final GuestHardware DEFAULTS =
            new GuestHardware(CpuModel.AUTOMATIC, DiskCache.UNSAFE, null, Firmware.BIOS);

    public GuestHardware {
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(diskCache, "diskCache");
        Objects.requireNonNull(firmware, "firmware");
    }

    /** For people: {@code cpu host-passthrough on KVM, disk cache unsafe, machine pc, firmware bios}. */
    public String describe() {
        String cpuText = switch (cpu.kind()) {
            case AUTOMATIC -> "host-passthrough on KVM (QEMU's default when emulated)";
            case HOST_PASSTHROUGH -> "host-passthrough";
            case HOST_MODEL -> "host-model";
            case NAMED -> cpu.name();
        };
        return "cpu " + cpuText + ", disk cache " + diskCache.value() + ", machine "
                + (machine == null ? "pc (backend default)" : machine.value()) + ", firmware " + firmware.value();
    }

    /**
     * The CPU model: {@link Kind#AUTOMATIC} is {@code host-passthrough} where the guest runs on KVM and QEMU's
     * default model under software emulation (which cannot pass the host's CPU through).
     *
     * @param name the model's name, only for {@link Kind#NAMED}
     */
    public record CpuModel(Kind kind, String name) {
        public static final CpuModel AUTOMATIC = new CpuModel(Kind.AUTOMATIC, null);
        /** libvirt's model names: {@code Skylake-Client-v4}, {@code EPYC-Rome}, {@code qemu64}, {@code Nehalem}. */
        private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

        public enum Kind { AUTOMATIC, HOST_PASSTHROUGH, HOST_MODEL, NAMED }

        public CpuModel {
            Objects.requireNonNull(kind, "kind");
            if ((kind == Kind.NAMED) != (name != null)) {
                throw new IllegalArgumentException("a named CPU model needs a name, the others none");
            }
        }

        /**
         * @param value {@code host-passthrough}, {@code host-model} or a model name
         * @throws IllegalArgumentException for anything else, saying what is allowed
         */
        public static CpuModel parse(String value) {
            switch (value) {
                case "host-passthrough":
                    return new CpuModel(Kind.HOST_PASSTHROUGH, null);
                case "host-model":
                    return new CpuModel(Kind.HOST_MODEL, null);
                default:
                    if (!MODEL.matcher(value).matches()) {
                        throw new IllegalArgumentException("'" + value + "' is not a CPU model (use host-passthrough,"
                                + " host-model or a model name such as Skylake-Client-v4 or EPYC-Rome)");
                    }
                    return new CpuModel(Kind.NAMED, value);
            }
        }
    }

    /** Host-side cache mode of the overlay disk (QEMU's {@code cache=} values). */
    public enum DiskCache {
        /** Guest flushes are ignored: fastest; the overlay is thrown away after the job anyway. */
        UNSAFE,
        /** No host page cache (O_DIRECT), guest flushes honoured: the cautious choice. */
        NONE,
        WRITEBACK,
        WRITETHROUGH,
        DIRECTSYNC;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static DiskCache parse(String value) {
            return GuestHardware.parse(DiskCache.class, value, "disk cache mode");
        }
    }

    public enum Machine {
        /** i440fx: the seed is an IDE CD-ROM. */
        PC,
        /** PCI Express, no IDE: the seed is a CD-ROM on virtio-scsi. */
        Q35;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Machine parse(String value) {
            return GuestHardware.parse(Machine.class, value, "machine type");
        }
    }

    public enum Firmware {
        BIOS,
        /** OVMF (Debian package {@code ovmf}). */
        UEFI;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Firmware parse(String value) {
            return GuestHardware.parse(Firmware.class, value, "firmware");
        }
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value, String what) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown " + what + " '" + value + "' (use "
                + Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(", ")) + ")");
    }
}
