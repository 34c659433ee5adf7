package org.solstice.orchestrator.hypervisor.libvirt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the libvirt backend reaches libvirt and shapes its domains. Build it from {@link #defaults()} and the
 * {@code with...} methods.
 *
 * <p>The per-job directories (overlay, seed, console log) must be reachable by the user QEMU runs as (on Debian
 * {@code libvirt-qemu}): every parent directory needs the execute bit for others.
 *
 * @param uri                    libvirt connection URI
 * @param network                libvirt network the guests' NIC is attached to
 * @param domainType             domain type ({@code kvm}, {@code qemu}, {@code test}), or null for kvm when
 *                               {@code /dev/kvm} exists, else qemu
 * @param shutdownResendInterval how often {@code stop} presses the ACPI power button again
 * @param commandTimeout         timeout for each external command (qemu-img, genisoimage)
 * @param pollInterval           how often the domain state is polled while waiting for a power-off
 * @param emulator               path of the QEMU binary, or null to let libvirt pick its default
 * @param machine                machine type for images that do not name one; {@code pc} (i440fx)
 * @param arch                   guest architecture
 * @param uefiFirmware           OVMF image (code and variables in one file) for images with {@code firmware: uefi}
 */
public record LibvirtConfig(
        String uri,
        String network,
        String domainType,
        Duration shutdownResendInterval,
        Duration commandTimeout,
        Duration pollInterval,
        String emulator,
        String machine,
        String arch,
        Path uefiFirmware) {

    public static final String DEFAULT_URI = "qemu:///system";
    public static final String DEFAULT_NETWORK = "default";
    /** Debian's {@code ovmf} package: loaded as a ROM, so each VM's UEFI variables live and die with it. */
    public static final Path DEFAULT_UEFI_FIRMWARE = Path.of("/usr/share/ovmf/OVMF.fd");

    public LibvirtConfig {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(uefiFirmware, "uefiFirmware");
        requirePositive(shutdownResendInterval, "shutdownResendInterval");
        requirePositive(commandTimeout, "commandTimeout");
        requirePositive(pollInterval, "pollInterval");
    }

    public static LibvirtConfig defaults() {
        return new LibvirtConfig(DEFAULT_URI, DEFAULT_NETWORK, null, Duration.ofSeconds(10), Duration.ofMinutes(5),
                Duration.ofMillis(150), null, "pc", "x86_64", DEFAULT_UEFI_FIRMWARE);
    }

    /** The domain type to use on this host. */
    public String effectiveDomainType() {
        if (domainType != null) {
            return domainType;
        }
        return Files.exists(Path.of("/dev/kvm")) ? "kvm" : "qemu";
    }

    public LibvirtConfig withUri(String value) {
        return new LibvirtConfig(value, network, domainType, shutdownResendInterval, commandTimeout, pollInterval,
                emulator, machine, arch, uefiFirmware);
    }

    public LibvirtConfig withNetwork(String value) {
        return new LibvirtConfig(uri, value, domainType, shutdownResendInterval, commandTimeout, pollInterval,
                emulator, machine, arch, uefiFirmware);
    }

    public LibvirtConfig withDomainType(String value) {
        return new LibvirtConfig(uri, network, value, shutdownResendInterval, commandTimeout, pollInterval,
                emulator, machine, arch, uefiFirmware);
    }

    public LibvirtConfig withShutdownResendInterval(Duration value) {
        return new LibvirtConfig(uri, network, domainType, value, commandTimeout, pollInterval, emulator, machine,
                arch, uefiFirmware);
    }

    public LibvirtConfig withCommandTimeout(Duration value) {
        return new LibvirtConfig(uri, network, domainType, shutdownResendInterval, value, pollInterval, emulator,
                machine, arch, uefiFirmware);
    }

    public LibvirtConfig withPollInterval(Duration value) {
        return new LibvirtConfig(uri, network, domainType, shutdownResendInterval, commandTimeout, value, emulator,
                machine, arch, uefiFirmware);
    }

    public LibvirtConfig withEmulator(String value) {
        return new LibvirtConfig(uri, network, domainType, shutdownResendInterval, commandTimeout, pollInterval,
                value, machine, arch, uefiFirmware);
    }

    public LibvirtConfig withMachine(String value) {
        return new LibvirtConfig(uri, network, domainType, shutdownResendInterval, commandTimeout, pollInterval,
                emulator, value, arch, uefiFirmware);
    }

    public LibvirtConfig withUefiFirmware(Path value) {
        return new LibvirtConfig(uri, network, domainType, shutdownResendInterval, commandTimeout, pollInterval,
                emulator, machine, arch, value);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }
}
