package org.solstice.orchestrator.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.solstice.orchestrator.hypervisor.GuestHardware;

/**
 * One image of the image map.
 *
 * @param source     where to fetch it (https, http or file URL)
 * @param localPath  the prepared image on disk (decompressed)
 * @param diskGiB    disk to grow each job's overlay to, 0 to keep the image's size
 * @param backend    hypervisor backend for this image, or null for the host's default
 * @param sha256     expected SHA-256 of the decompressed image, or null
 * @param jobScript  operator-supplied shell fragment replacing the default "fetch repo and run job.sh", or null
 * @param timeout    job timeout for this image, or null for the daemon's default
 * @param hardware   CPU model, disk cache, machine type and firmware of the image's VMs
 */
public record ImageDefinition(
        String name,
        URI source,
        Path localPath,
        Decompression decompress,
        boolean nocloud,
        int cpus,
        long memoryMiB,
        long diskGiB,
        String backend,
        String sha256,
        String jobScript,
        Duration timeout,
        GuestHardware hardware) {

    public ImageDefinition {
        Objects.requireNonNull(hardware, "hardware");
    }

    /** An image with {@link GuestHardware#DEFAULTS}. */
    public ImageDefinition(String name, URI source, Path localPath, Decompression decompress, boolean nocloud,
                           int cpus, long memoryMiB, long diskGiB, String backend, String sha256, String jobScript,
                           Duration timeout) {
        this(name, source, localPath, decompress, nocloud, cpus, memoryMiB, diskGiB, backend, sha256, jobScript,
                timeout, GuestHardware.DEFAULTS);
    }
}
