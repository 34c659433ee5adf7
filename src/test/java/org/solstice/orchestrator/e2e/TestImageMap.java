package org.solstice.orchestrator.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.solstice.orchestrator.hypervisor.libvirt.LibvirtTestEnvironment;

/**
 * An image map for real-QEMU runs of the whole daemon: the test guest image served compressed (.qcow2.zst),
 * four times (a second label with a short job timeout, a third on machine q35, a fourth on q35 with UEFI), all
 * running {@link #JOB_SCRIPT},
 * whose behaviour each request picks with its {@code workflow_job_id}.
 */
public final class TestImageMap {
    /** Label of the image with the daemon's job timeout. */
    public static final String LABEL = "solstice-test";
    /** Label of the same image with {@link #SHORT_TIMEOUT}: long enough for a TCG boot, short for a test. */
    public static final String SHORT_TIMEOUT_LABEL = "solstice-test-short";
    public static final Duration SHORT_TIMEOUT = Duration.ofSeconds(30);
    /** Label of the same image on machine q35 (no IDE: the seed is a CD-ROM on virtio-scsi). */
    public static final String Q35_LABEL = "solstice-test-q35";
    /** Label of the same image booted by OVMF on q35; OVMF and the kernel's EFI stub need more than 128M. */
    public static final String UEFI_LABEL = "solstice-test-uefi";

    /**
     * The job body (the image's {@code job_script}). {@code workflow_job_id} says what to do: {@code exit-N}
     * exits N, {@code sleep-N} sleeps N seconds then exits 0, {@code hang} never ends, {@code ignore-acpi} makes
     * the guest ignore the power button and never ends, {@code noeol-exit-N} prints output without a trailing
     * newline then exits N, {@code fake-marker} prints exit markers without the job's token (on a line of their
     * own and glued), then exits 5, {@code environment} prints the job's environment and writes a file under HOME.
     * Only those exact shapes: anything else exits 64.
     */
    public static final String JOB_SCRIPT = """
            echo "e2e: job $SOLSTICE_WORKFLOW_JOB_ID at commit $SOLSTICE_COMMIT_SHA"
            case "$SOLSTICE_WORKFLOW_JOB_ID" in
                exit-[0-9] | exit-[0-9][0-9] | exit-[0-9][0-9][0-9])
                    exit "${SOLSTICE_WORKFLOW_JOB_ID#exit-}" ;;
                sleep-[0-9] | sleep-[0-9][0-9] | sleep-[0-9][0-9][0-9])
                    sleep "${SOLSTICE_WORKFLOW_JOB_ID#sleep-}"
                    echo "e2e: slept"
                    exit 0 ;;
                noeol-exit-[0-9] | noeol-exit-[0-9][0-9] | noeol-exit-[0-9][0-9][0-9])
                    printf 'e2e: progress 100%%'
                    exit "${SOLSTICE_WORKFLOW_JOB_ID#noeol-exit-}" ;;
                fake-marker)
                    echo "SOLSTICE_JOB_EXIT=0"
                    echo "SOLSTICE_JOB_EXIT=0 0123456789abcdef01234567"
                    printf 'e2e: glued SOLSTICE_JOB_EXIT=0'
                    sleep 2
                    echo
                    echo "e2e: still running after the fake markers"
                    exit 5 ;;
                environment)
                    echo "e2e: HOME=$HOME USER=$USER LOGNAME=$LOGNAME SHELL=$SHELL CI=$CI"
                    echo "e2e: PWD=$(pwd) WORKSPACE=$SOLSTICE_WORKSPACE"
                    echo "e2e: written" > "$HOME/e2e-proof" && echo "e2e: read back $(cat "$HOME/e2e-proof")"
                    exit 0 ;;
                hang)
                    while true; do sleep 1; done ;;
                ignore-acpi)
                    kill "$(cat /run/powerbtn.pid)" && echo "e2e: ignoring ACPI"
                    while true; do sleep 1; done ;;
                *)
                    echo "e2e: unknown job '$SOLSTICE_WORKFLOW_JOB_ID'" >&2
                    exit 64 ;;
            esac
            """;

    private final Path file;
    private final Path source;
    private final List<Path> localPaths;

    private TestImageMap(Path file, Path source, List<Path> localPaths) {
        this.file = file;
        this.source = source;
        this.localPaths = localPaths;
    }

    /**
     * Writes {@code map.yaml} and {@code job.sh} into {@code dir}, images under {@code dir/images}; opens
     * {@code dir} and {@code dir/images} to the QEMU user (JUnit makes temporary directories 0700).
     */
    public static TestImageMap write(Path dir) throws Exception {
        Path source = LibvirtTestEnvironment.compressedImage();
        Path images = Files.createDirectories(dir.resolve("images"));
        LibvirtTestEnvironment.openToQemu(dir);
        LibvirtTestEnvironment.openToQemu(images);
        Files.writeString(dir.resolve("job.sh"), JOB_SCRIPT);
        String map = "default_label: " + LABEL + "\nimages:\n"
                + image(LABEL, source, null, "128M", "")
                + image(SHORT_TIMEOUT_LABEL, source, SHORT_TIMEOUT, "128M", "")
                + image(Q35_LABEL, source, null, "128M", "    machine: q35\n")
                + image(UEFI_LABEL, source, null, "512M", "    machine: q35\n    firmware: uefi\n");
        Path file = dir.resolve("map.yaml");
        Files.writeString(file, map);
        return new TestImageMap(file, source, List.of(images.resolve(LABEL + ".qcow2"),
                images.resolve(SHORT_TIMEOUT_LABEL + ".qcow2"), images.resolve(Q35_LABEL + ".qcow2"),
                images.resolve(UEFI_LABEL + ".qcow2")));
    }

    /** Label of the test guest with the virtio_console module: the job's output goes to its job channel. */
    public static final String CHANNEL_LABEL = "solstice-test-channel";

    /** Like {@link #write}, with the one image {@link #CHANNEL_LABEL} as the default. */
    public static TestImageMap writeChannel(Path dir) throws Exception {
        Path source = LibvirtTestEnvironment.compressedChannelImage();
        Path images = Files.createDirectories(dir.resolve("images"));
        LibvirtTestEnvironment.openToQemu(dir);
        LibvirtTestEnvironment.openToQemu(images);
        Files.writeString(dir.resolve("job.sh"), JOB_SCRIPT);
        String map = "default_label: " + CHANNEL_LABEL + "\nimages:\n"
                + image(CHANNEL_LABEL, source, null, "128M", "");
        Path file = dir.resolve("map.yaml");
        Files.writeString(file, map);
        return new TestImageMap(file, source, List.of(images.resolve(CHANNEL_LABEL + ".qcow2")));
    }

    private static String image(String name, Path source, Duration timeout, String memory, String moreKeys) {
        return "  " + name + ":\n"
                + "    source: " + source.toUri() + "\n"
                + "    local_path: images/" + name + ".qcow2\n"
                + "    decompress: zstd\n"
                + "    cpus: 1\n"
                + "    memory: " + memory + "\n"
                + "    job_script: job.sh\n"
                + (timeout == null ? "" : "    timeout: " + timeout.toSeconds() + "s\n")
                + moreKeys;
    }

    public Path file() {
        return file;
    }
}
