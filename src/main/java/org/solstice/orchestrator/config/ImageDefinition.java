package org.solstice.orchestrator.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
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
 * @param user       the guest user the job runs as (root by default)
 * @param network    the guest's network, given to cloud-init as NoCloud network-config (DHCP by default)
 * @param hardware   CPU model, disk cache, machine type and firmware of the image's VMs (defaults when null)
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
        String user,
        GuestNetwork network,
        GuestHardware hardware) {

    public ImageDefinition {
        user = user == null ? "root" : user;
        network = network == null ? GuestNetwork.DHCP : network;
        hardware = hardware == null ? GuestHardware.DEFAULTS : hardware;
    }

    /** An image whose jobs run as root with today's network (DHCP) on {@link GuestHardware#DEFAULTS}. */
    public ImageDefinition(String name, URI source, Path localPath, Decompression decompress, boolean nocloud,
                           int cpus, long memoryMiB, long diskGiB, String backend, String sha256, String jobScript,
                           Duration timeout) {
        this(name, source, localPath, decompress, nocloud, cpus, memoryMiB, diskGiB, backend, sha256, jobScript,
                timeout, null, null, null);
    }
}
