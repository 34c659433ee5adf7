package org.solstice.orchestrator.hypervisor.libvirt;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;

/**
 * Where the real-QEMU tests find libvirt, their isolated network and the test image. Missing pieces FAIL the
 * test with what to run: these tests are asked for on purpose (tag {@code libvirt}); leaving them out is
 * {@code -Dtest.excludedGroups=libvirt}, never a silent skip.
 */
public final class LibvirtTestEnvironment {
    public static final String URI = setting("SOLSTICE_TEST_LIBVIRT_URI", "qemu:///system");
    public static final String NETWORK = setting("SOLSTICE_TEST_NETWORK", "solstice-test");
    private static final String SETUP = "run .ci/libvirt-setup.sh as root (or leave these tests out with"
            + " -Dtest.excludedGroups=libvirt)";

    private LibvirtTestEnvironment() {
    }

    public static Path image() {
        Path image = Path.of(setting("SOLSTICE_TEST_IMAGE", "target/testvm/solstice-test.qcow2")).toAbsolutePath();
        if (!Files.isRegularFile(image)) {
            fail("test image " + image + " is missing: " + SETUP);
        }
        return image;
    }

    /** The test image as the daemon is served it: zstd-compressed, next to {@link #image()}. */
    public static Path compressedImage() {
        Path image = image();
        Path compressed = image.resolveSibling(image.getFileName() + ".zst");
        if (!Files.isRegularFile(compressed)) {
            fail("compressed test image " + compressed + " is missing: " + SETUP);
        }
        return compressed;
    }

    /**
     * The test guest with the virtio_console module (built by {@code SOLSTICE_TESTVM_CHANNEL=yes
     * testvm/build-image.sh}), compressed, next to {@link #image()}: its bootstrap uses the job's own channel.
     */
    public static Path compressedChannelImage() {
        Path compressed = image().resolveSibling("solstice-test-channel.qcow2.zst");
        if (!Files.isRegularFile(compressed)) {
            fail("compressed channel test image " + compressed + " is missing: " + SETUP);
        }
        return compressed;
    }

    /** Fails unless libvirtd answers on {@link #URI} and the test network exists. */
    public static void requireLibvirt() {
        try {
            Connect connect = new Connect(URI, false);
            try {
                connect.networkLookupByName(NETWORK).free();
            } catch (LibvirtException e) {
                fail("libvirt network " + NETWORK + " is missing on " + URI + ": " + SETUP);
            } finally {
                connect.close();
            }
        } catch (LibvirtException | UnsatisfiedLinkError | NoClassDefFoundError e) {
            fail("libvirt does not answer on " + URI + " (" + e.getMessage() + "): " + SETUP);
        }
    }

    /** Never libvirt's `default` network: its private range is forbidden on the test machines. */
    public static LibvirtConfig config() {
        return LibvirtConfig.defaults().withUri(URI).withNetwork(NETWORK)
                .withShutdownResendInterval(Duration.ofSeconds(2));
    }

    /**
     * QEMU runs as libvirt-qemu and must reach the job directories; JUnit makes its temporary directories 0700.
     */
    public static void openToQemu(Path dir) throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static String setting(String name, String fallback) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isBlank() ? fallback : value;
    }
}
