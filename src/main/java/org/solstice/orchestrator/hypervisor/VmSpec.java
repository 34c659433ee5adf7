package org.solstice.orchestrator.hypervisor;

import java.nio.file.Path;
import java.util.Objects;
import java.util.UUID;

/**
 * Everything a backend needs to create one job's VM: built by the job runner from the resolved image and the
 * job's identity. Values are already validated; backends still escape them for their own formats (XML, zonecfg).
 *
 * @param jobId        the job's request_id
 * @param vmName       {@code job-<request_id>}: domain or zone name
 * @param imageName    image key in the image map
 * @param imagePath    the prepared (decompressed) image on local disk
 * @param backend      backend the image asks for, or null for the router's default
 * @param cpus         virtual CPUs
 * @param memoryMiB    memory in MiB
 * @param diskGiB      disk size in GiB to grow the job's disk to, or 0 to keep the image's size
 * @param nocloud      whether to attach a NoCloud seed carrying {@code userData}
 * @param userData     the cloud-init user-data (a {@code #!/bin/sh} bootstrap script)
 * @param hostname     the guest's local-hostname for meta-data
 * @param instanceId   this orchestrator instance, written into the VM's metadata so leaks can be recognised
 * @param jobDir       per-job directory for overlay, seed and console log
 * @param networkConfig the seed's NoCloud {@code network-config} (version 2), or null to leave it out (cloud-init
 *                      then uses DHCP on the first interface)
 * @param hardware     CPU model, disk cache, machine type and firmware the image asks for
 */
public record VmSpec(
        UUID jobId,
        String vmName,
        String imageName,
        Path imagePath,
        String backend,
        int cpus,
        long memoryMiB,
        long diskGiB,
        boolean nocloud,
        String userData,
        String hostname,
        String instanceId,
        Path jobDir,
        String networkConfig,
        GuestHardware hardware) {

    public VmSpec {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(vmName, "vmName");
        Objects.requireNonNull(imageName, "imageName");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(jobDir, "jobDir");
        Objects.requireNonNull(hardware, "hardware");
        if (cpus < 1) {
            throw new IllegalArgumentException("cpus must be at least 1, was " + cpus);
        }
        if (memoryMiB < 64) {
            throw new IllegalArgumentException("memory must be at least 64 MiB, was " + memoryMiB);
        }
        if (diskGiB < 0) {
            throw new IllegalArgumentException("disk must not be negative, was " + diskGiB);
        }
    }

    /**
     * The job's own channel: the virtio-serial port's name the guest sees (the same as guest.JobChannel's), which
     * a backend that has such ports writes into {@link #channelLog()}.
     */
    public static final String JOB_CHANNEL = "org.solstice.job.0";
    /** The file in the job directory that holds what the guest wrote to its job channel. */
    public static final String CHANNEL_LOG = "channel.log";

    public static String vmNameFor(UUID jobId) {
        return "job-" + jobId;
    }

    /** Where the guest's serial console is written. */
    public Path consoleLog() {
        return jobDir.resolve("console.log");
    }

    /** Where the guest's job channel ({@link #JOB_CHANNEL}) is written, for backends that give one. */
    public Path channelLog() {
        return jobDir.resolve(CHANNEL_LOG);
    }
}
