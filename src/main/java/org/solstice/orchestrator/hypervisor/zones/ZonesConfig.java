package org.solstice.orchestrator.hypervisor.zones;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the zones backend needs to know about its host: where images and job disks live in ZFS, where
 * zonepaths go, which physical link carries the job VNICs, and which programs to run.
 *
 * @param imagesDataset     parent dataset of the image volumes ({@code <imagesDataset>/<image>@<snapshot>})
 * @param jobsDataset       parent dataset of the per-job clones ({@code <jobsDataset>/<vmName>})
 * @param zonepathRoot      directory under which each zone's zonepath is created ({@code <root>/<vmName>})
 * @param physicalLink      datalink the per-job VNICs are created over ({@code dladm create-vnic -l})
 * @param commandTimeout    timeout for each zonecfg, zoneadm, zfs, dladm and ISO command
 * @param importTimeout     timeout for writing an image into its volume (it may be many GiB)
 * @param pollInterval      how often zone state is re-read while waiting for a power-off
 * @param shutdownResend    how often a graceful stop presses the guest's power button again (a guest still
 *                          booting may miss the first press)
 * @param zvolDeviceRoot    where ZFS volumes appear as raw devices ({@code /dev/zvol/rdsk})
 * @param zonecfg           zonecfg program
 * @param zoneadm           zoneadm program
 * @param zfs               zfs program
 * @param dladm             dladm program
 * @param zlogin            zlogin program (captures the serial console)
 * @param isoTool           genisoimage or mkisofs (same options), builds the NoCloud seed
 * @param commandPrefix     put before every zonecfg, zoneadm, zfs, dladm and zlogin command line, e.g.
 *                          {@code [pfexec]} when the daemon's account holds RBAC profiles instead of being root
 */
public record ZonesConfig(
        String imagesDataset,
        String jobsDataset,
        Path zonepathRoot,
        String physicalLink,
        Duration commandTimeout,
        Duration importTimeout,
        Duration pollInterval,
        Duration shutdownResend,
        Path zvolDeviceRoot,
        String zonecfg,
        String zoneadm,
        String zfs,
        String dladm,
        String zlogin,
        String isoTool,
        List<String> commandPrefix) {

    /** The defaults of the settings an operator sets (see {@link ZonesProvider}); the only place they are written. */
    public static final String DEFAULT_IMAGES_DATASET = "rpool/solstice/images";
    public static final String DEFAULT_JOBS_DATASET = "rpool/solstice/jobs";
    public static final Path DEFAULT_ZONEPATH_ROOT = Path.of("/zones/solstice");

    public ZonesConfig {
        Objects.requireNonNull(shutdownResend, "shutdownResend");
        commandPrefix = List.copyOf(commandPrefix);
        Objects.requireNonNull(imagesDataset, "imagesDataset");
        Objects.requireNonNull(jobsDataset, "jobsDataset");
        Objects.requireNonNull(zonepathRoot, "zonepathRoot");
        Objects.requireNonNull(physicalLink, "physicalLink");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        Objects.requireNonNull(importTimeout, "importTimeout");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(zvolDeviceRoot, "zvolDeviceRoot");
        if (imagesDataset.equals(jobsDataset)) {
            throw new IllegalArgumentException("images and jobs datasets must differ, both are " + imagesDataset);
        }
        if (commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("command timeout must be positive");
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("poll interval must be positive");
        }
    }

    /** The defaults for a host whose VNICs go over {@code physicalLink} (e.g. {@code igb0}, {@code vioif0}). */
    public static Builder builder(String physicalLink) {
        return new Builder(physicalLink);
    }

    /** Fluent construction of {@link ZonesConfig}; every field starts at its documented default. */
    public static final class Builder {
        private String imagesDataset = DEFAULT_IMAGES_DATASET;
        private String jobsDataset = DEFAULT_JOBS_DATASET;
        private Path zonepathRoot = DEFAULT_ZONEPATH_ROOT;
        private String physicalLink;
        private Duration commandTimeout = Duration.ofMinutes(2);
        private Duration importTimeout = Duration.ofMinutes(30);
        private Duration pollInterval = Duration.ofSeconds(1);
        private Duration shutdownResend = Duration.ofSeconds(20);
        private Path zvolDeviceRoot = Path.of("/dev/zvol/rdsk");
        private String zonecfg = "/usr/sbin/zonecfg";
        private String zoneadm = "/usr/sbin/zoneadm";
        private String zfs = "/usr/sbin/zfs";
        private String dladm = "/usr/sbin/dladm";
        private String zlogin = "/usr/sbin/zlogin";
        private String isoTool = "mkisofs";
        private List<String> commandPrefix = List.of();

        private Builder(String physicalLink) {
            this.physicalLink = physicalLink;
        }

        public Builder imagesDataset(String value) {
            imagesDataset = value;
            return this;
        }

        public Builder jobsDataset(String value) {
            jobsDataset = value;
            return this;
        }

        public Builder zonepathRoot(Path value) {
            zonepathRoot = value;
            return this;
        }

        public Builder commandTimeout(Duration value) {
            commandTimeout = value;
            return this;
        }

        public Builder importTimeout(Duration value) {
            importTimeout = value;
            return this;
        }

        public Builder pollInterval(Duration value) {
            pollInterval = value;
            return this;
        }

        public Builder shutdownResend(Duration value) {
            shutdownResend = value;
            return this;
        }

        public Builder commandPrefix(List<String> value) {
            commandPrefix = value;
            return this;
        }

        public Builder zvolDeviceRoot(Path value) {
            zvolDeviceRoot = value;
            return this;
        }

        /**
         * Runs zonecfg, zoneadm, zfs, dladm and zlogin from {@code dir} (tests point it at the simulator). Program
         * names must be paths: Java resolves a bare name with the daemon's own PATH, not the child's.
         */
        public Builder commandsIn(Path dir) {
            zonecfg = dir.resolve("zonecfg").toString();
            zoneadm = dir.resolve("zoneadm").toString();
            zfs = dir.resolve("zfs").toString();
            dladm = dir.resolve("dladm").toString();
            zlogin = dir.resolve("zlogin").toString();
            return this;
        }

        public Builder isoTool(String value) {
            isoTool = value;
            return this;
        }

        public ZonesConfig build() {
            return new ZonesConfig(imagesDataset, jobsDataset, zonepathRoot, physicalLink, commandTimeout,
                    importTimeout, pollInterval, shutdownResend, zvolDeviceRoot, zonecfg, zoneadm, zfs, dladm, zlogin, isoTool,
                    commandPrefix);
        }
    }
}
