package org.solstice.orchestrator.hypervisor.libvirt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.solstice.orchestrator.process.CommandRunner;

/**
 * A job's copy-on-write disk: a qcow2 overlay whose backing file is the prepared image, grown to the job's disk
 * size when one is asked for. The backing format comes from {@code qemu-img info}, never guessed (qemu refuses
 * to probe it, and probing a raw image is unsafe).
 */
final class OverlayDisk {
    private static final long GIB = 1024L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CommandRunner runner;
    private final Duration timeout;

    OverlayDisk(CommandRunner runner, Duration timeout) {
        this.runner = runner;
        this.timeout = timeout;
    }

    /** The image's format and virtual size, as qemu-img reports them. */
    record ImageInfo(String format, long virtualSizeBytes) {
    }

    /** Creates the overlay; raises {@link org.solstice.orchestrator.process.CommandFailedException} on failure. */
    void create(Path image, Path overlay, long diskGiB) {
        ImageInfo info = parseInfo(runner.check(infoCommand(image), timeout).stdout());
        long sizeGiB = diskGiB * GIB > info.virtualSizeBytes() ? diskGiB : 0;
        runner.check(createCommand(image, info.format(), overlay, sizeGiB), timeout);
    }

    static List<String> infoCommand(Path image) {
        return List.of("qemu-img", "info", "--output=json", image.toAbsolutePath().toString());
    }

    /**
     * @param sizeGiB the overlay's virtual size in GiB, or 0 to keep the image's size
     */
    static List<String> createCommand(Path image, String backingFormat, Path overlay, long sizeGiB) {
        List<String> command = new ArrayList<>(List.of("qemu-img", "create", "-f", "qcow2", "-F", backingFormat,
                "-b", image.toAbsolutePath().toString(), overlay.toAbsolutePath().toString()));
        if (sizeGiB > 0) {
            command.add(sizeGiB + "G");
        }
        return List.copyOf(command);
    }

    static ImageInfo parseInfo(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            String format = node.path("format").asText("");
            if (format.isEmpty() || !format.matches("[a-z0-9]+")) {
                throw new IllegalArgumentException("qemu-img info reported no usable format in: " + json.strip());
            }
            return new ImageInfo(format, node.path("virtual-size").asLong(0));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("qemu-img info printed no JSON: " + json.strip(), e);
        }
    }
}
