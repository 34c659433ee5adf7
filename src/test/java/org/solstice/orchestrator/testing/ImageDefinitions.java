package org.solstice.orchestrator.testing;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.solstice.orchestrator.config.Decompression;
import org.solstice.orchestrator.config.GuestNetwork;
import org.solstice.orchestrator.config.ImageDefinition;
import org.solstice.orchestrator.hypervisor.GuestHardware;

/**
 * Test data for the image map: {@code anImage().named("img").at(path).build()} instead of 12 positional arguments.
 * Defaults: image {@code img} from {@code file:///img} into {@code /img}, not compressed, no checksum, a NoCloud
 * seed, 1 CPU, 512 MiB, the image's own disk size, the host's default backend, the default job script and timeout,
 * jobs run as root, the guest's network by DHCP.
 */
public final class ImageDefinitions {
    private ImageDefinitions() {
    }

    public static Builder anImage() {
        return new Builder();
    }

    /** An image definition under construction; every setter returns this builder. */
    public static final class Builder {
        private String name = "img";
        private URI source = URI.create("file:///img");
        private Path localPath = Path.of("/img");
        private Decompression decompress = Decompression.NONE;
        private boolean nocloud = true;
        private int cpus = 1;
        private long memoryMiB = 512;
        private long diskGiB;
        private String backend;
        private String sha256;
        private String jobScript;
        private Duration timeout;
        private String user;
        private GuestNetwork network;
        private GuestHardware hardware;

        private Builder() {
        }

        public Builder named(String imageName) {
            this.name = imageName;
            return this;
        }

        public Builder from(URI url) {
            this.source = url;
            return this;
        }

        /** Where the prepared image lies on disk. */
        public Builder at(Path path) {
            this.localPath = path;
            return this;
        }

        public Builder decompress(Decompression how) {
            this.decompress = how;
            return this;
        }

        public Builder nocloud(boolean attachSeed) {
            this.nocloud = attachSeed;
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

        public Builder backend(String hypervisor) {
            this.backend = hypervisor;
            return this;
        }

        public Builder sha256(String hex) {
            this.sha256 = hex;
            return this;
        }

        public Builder jobScript(String script) {
            this.jobScript = script;
            return this;
        }

        public Builder timeout(Duration jobTimeout) {
            this.timeout = jobTimeout;
            return this;
        }

        /** The guest user the job runs as (default root). */
        public Builder user(String name) {
            this.user = name;
            return this;
        }

        /** The guest's network (default DHCP). */
        public Builder network(GuestNetwork guestNetwork) {
            this.network = guestNetwork;
            return this;
        }

        /** CPU model, disk cache, machine and firmware (default {@link GuestHardware#DEFAULTS}). */
        public Builder hardware(GuestHardware value) {
            this.hardware = value;
            return this;
        }

        public ImageDefinition build() {
            return new ImageDefinition(name, source, localPath, decompress, nocloud, cpus, memoryMiB, diskGiB, backend,
                    sha256, jobScript, timeout, user, network, hardware);
        }
    }
}
