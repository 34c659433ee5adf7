package org.solstice.orchestrator.testing;

import java.nio.file.Path;
import java.util.UUID;
import org.solstice.orchestrator.hypervisor.GuestHardware;
import org.solstice.orchestrator.hypervisor.VmSpec;

/**
 * Test data for the hypervisor contract: {@code aVmSpec().forJob(id).jobDir(dir).build()} instead of 13 positional
 * arguments. Defaults: a random job, its {@code job-<id>} name and hostname, 1 CPU, 128 MiB, the image's own disk
 * size, a NoCloud seed with an empty {@code #!/bin/sh} script, the router's default backend. The job directory
 * has no default: every backend writes into it. No network-config in the seed (the guest uses DHCP).
 */
public final class VmSpecs {
    private VmSpecs() {
    }

    public static Builder aVmSpec() {
        return new Builder();
    }

    /** A VmSpec under construction; every setter returns this builder. */
    public static final class Builder {
        private UUID jobId = UUID.randomUUID();
        private String vmName;
        private String imageName = "test-image";
        private Path imagePath = Path.of("/images/test.qcow2");
        private String backend;
        private int cpus = 1;
        private long memoryMiB = 128;
        private long diskGiB;
        private boolean nocloud = true;
        private String userData = "#!/bin/sh\n";
        private String hostname;
        private String instanceId = "test-instance";
        private Path jobDir;
        private String networkConfig;
        private GuestHardware hardware = GuestHardware.DEFAULTS;

        private Builder() {
        }

        /** The job's request_id; the VM's name and hostname follow it unless set. */
        public Builder forJob(UUID id) {
            this.jobId = id;
            return this;
        }

        public Builder vmName(String name) {
            this.vmName = name;
            return this;
        }

        /** The image map's key and the prepared image on disk. */
        public Builder image(String name, Path path) {
            this.imageName = name;
            this.imagePath = path;
            return this;
        }

        public Builder backend(String name) {
            this.backend = name;
            return this;
        }

        public Builder cpus(int n) {
            this.cpus = n;
            return this;
        }

        public Builder memoryMiB(long mib) {
            this.memoryMiB = mib;
            return this;
        }

        public Builder diskGiB(long gib) {
            this.diskGiB = gib;
            return this;
        }

        public Builder nocloud(boolean attachSeed) {
            this.nocloud = attachSeed;
            return this;
        }

        public Builder userData(String script) {
            this.userData = script;
            return this;
        }

        public Builder hostname(String name) {
            this.hostname = name;
            return this;
        }

        public Builder instanceId(String id) {
            this.instanceId = id;
            return this;
        }

        public Builder jobDir(Path dir) {
            this.jobDir = dir;
            return this;
        }

        /** The job directory {@code <jobs>/<request_id>}, as the daemon lays them out. */
        public Builder jobDirUnder(Path jobs) {
            return jobDir(jobs.resolve(jobId.toString()));
        }

        /** The seed's NoCloud network-config (default none: the guest uses DHCP). */
        public Builder networkConfig(String yaml) {
            this.networkConfig = yaml;
            return this;
        }

        /** CPU model, disk cache, machine and firmware (default {@link GuestHardware#DEFAULTS}). */
        public Builder hardware(GuestHardware value) {
            this.hardware = value;
            return this;
        }

        public VmSpec build() {
            return new VmSpec(jobId, vmName != null ? vmName : VmSpec.vmNameFor(jobId), imageName, imagePath, backend,
                    cpus, memoryMiB, diskGiB, nocloud, userData,
                    hostname != null ? hostname : "job-" + jobId.toString().substring(0, 8), instanceId, jobDir,
                    networkConfig, hardware);
        }
    }
}
