package org.solstice.orchestrator.hypervisor.zones;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.solstice.orchestrator.hypervisor.HypervisorException;
import org.solstice.orchestrator.process.CommandResult;

/**
 * The ZFS side of the backend: each image written once into a volume {@code <images>/<image>} and
 * snapshotted, each job's disk a clone of that snapshot under {@code <jobs>}.
 *
 * <p>The snapshot is named after the image file's identity (size and modification time), so an image that is
 * prepared again gets a new snapshot; older snapshots stay while job clones depend on them.
 */
final class ZfsVolumes {
    private static final Logger log = LoggerFactory.getLogger(ZfsVolumes.class);
    private static final long MIB = 1024L * 1024L;
    private static final long GIB = 1024L * MIB;
    private static final Pattern COMPONENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]*");

    private final HostCommands commands;
    private final ZonesConfig config;
    private final Map<String, ReentrantLock> imageLocks = new ConcurrentHashMap<>();

    ZfsVolumes(HostCommands commands, ZonesConfig config) {
        this.commands = commands;
        this.config = config;
    }

    boolean exists(String dataset) {
        return commands.run("looking up dataset " + dataset,
                List.of(config.zfs(), "list", "-H", "-o", "name", dataset)).succeeded();
    }

    /** The dataset a job's disk is cloned to. */
    String jobDataset(String vmName) {
        return config.jobsDataset() + "/" + component(vmName, "VM name");
    }

    /** The raw device of a volume, as the zone's {@code device match} and for writing images. */
    Path device(String dataset) {
        return config.zvolDeviceRoot().resolve(dataset);
    }

    /**
     * Makes sure the image is in its volume and snapshotted; concurrent callers for one image wait for the first.
     *
     * @return the snapshot to clone, {@code <images>/<image>@<snapshot>}
     */
    String ensureImage(String imageName, Path imagePath) {
        String volume = config.imagesDataset() + "/" + component(imageName, "image name");
        String snapshot = volume + "@" + snapshotName(imagePath);
        ReentrantLock lock = imageLocks.computeIfAbsent(volume, v -> new ReentrantLock());
        lock.lock();
        try {
            if (exists(snapshot)) {
                return snapshot;
            }
            long size = roundUp(sizeOf(imagePath), MIB);
            if (!exists(volume)) {
                commands.check("creating the volume for image " + imageName,
                        List.of(config.zfs(), "create", "-V", String.valueOf(size), volume));
            } else if (volsize(volume) < size) {
                setVolsize(volume, size);
            }
            log.info("writing image {} ({} bytes) into volume {}", imagePath, size, volume);
            write(imagePath, device(volume), size);
            commands.check("snapshotting the volume of image " + imageName,
                    List.of(config.zfs(), "snapshot", snapshot));
            return snapshot;
        } finally {
            lock.unlock();
        }
    }

    /** Clones the image snapshot for a job and grows it to {@code diskGiB} when that is larger. */
    void cloneForJob(String snapshot, String dataset, long diskGiB) {
        commands.check("cloning " + snapshot + " for " + dataset, List.of(config.zfs(), "clone", snapshot, dataset));
        if (diskGiB > 0 && volsize(dataset) < diskGiB * GIB) {
            setVolsize(dataset, diskGiB * GIB);
        }
    }

    /** {@code zfs destroy -r}; a dataset that is already gone is fine. */
    void destroy(String dataset) {
        if (exists(dataset)) {
            commands.check("destroying dataset " + dataset, List.of(config.zfs(), "destroy", "-r", dataset));
        }
    }

    private long volsize(String dataset) {
        CommandResult result = commands.check("reading the size of volume " + dataset,
                List.of(config.zfs(), "get", "-Hp", "-o", "value", "volsize", dataset));
        try {
            return Long.parseLong(result.stdout().strip());
        } catch (NumberFormatException e) {
            throw new HypervisorException("zfs reported volsize '" + result.stdout().strip() + "' for " + dataset);
        }
    }

    private void setVolsize(String dataset, long bytes) {
        commands.check("growing volume " + dataset, List.of(config.zfs(), "set", "volsize=" + bytes, dataset));
    }

    static String snapshotName(Path imagePath) {
        try {
            return "img-" + Files.size(imagePath) + "-" + Files.getLastModifiedTime(imagePath).toMillis();
        } catch (IOException e) {
            throw new HypervisorException("image file " + imagePath + " cannot be read: " + e, e);
        }
    }

    private static long sizeOf(Path imagePath) {
        try {
            return Files.size(imagePath);
        } catch (IOException e) {
            throw new HypervisorException("image file " + imagePath + " cannot be read: " + e, e);
        }
    }

    /** Copies the image onto the raw device, zero-padding the last MiB (raw devices want whole sectors). */
    private void write(Path imagePath, Path device, long paddedSize) {
        try (InputStream in = Files.newInputStream(imagePath);
             FileChannel out = FileChannel.open(device, StandardOpenOption.WRITE)) {
            byte[] chunk = new byte[(int) MIB];
            long written = 0;
            while (written < paddedSize) {
                int filled = in.readNBytes(chunk, 0, chunk.length);
                if (filled < chunk.length) {
                    java.util.Arrays.fill(chunk, filled, chunk.length, (byte) 0);
                }
                ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, (int) Math.min(chunk.length, paddedSize - written));
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                written += chunk.length;
            }
            out.force(true);
        } catch (IOException e) {
            throw new HypervisorException("writing image " + imagePath + " to " + device + " failed: " + e, e);
        }
    }

    private static long roundUp(long value, long unit) {
        return Math.max(unit, (value + unit - 1) / unit * unit);
    }

    static String component(String name, String what) {
        if (!COMPONENT.matcher(name).matches() || name.length() > 200) {
            throw new HypervisorException(what + " '" + name + "' cannot be used in a ZFS dataset name");
        }
        return name;
    }
}
