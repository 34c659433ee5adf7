package org.solstice.orchestrator.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.solstice.orchestrator.guest.JobEnvironment;
import org.solstice.orchestrator.hypervisor.Backends;
import org.solstice.orchestrator.hypervisor.GuestHardware;
import org.yaml.snakeyaml.nodes.Node;

/** One entry under {@code images:} of the image map, read and validated with file, line and key in every error. */
final class ImageEntryReader {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private ImageEntryReader() {
    }

    /** The backends this build has, found once (on first use) among the hypervisor providers. */
    private static final class KnownBackends {
        static final Set<String> NAMES = Backends.discover().names();
    }

    static ImageDefinition read(YamlNodes yaml, Path base, Map<String, SizePreset> sizes,
                               String name, Node node) {
        String key = "images." + name;
        Map<String, Node> f = yaml.mapping(node, key, ImageMapLoader.IMAGE_KEYS);
        for (String required : List.of("source", "local_path")) {
            if (!f.containsKey(required)) {
                throw yaml.error(node, key + "." + required, "is required");
            }
        }
        URI source = source(yaml, f.get("source"), key + ".source");
        Path localPath = base.resolve(yaml.scalar(f.get("local_path"), key + ".local_path")).normalize();

        Decompression decompress = Decompression.NONE;
        if (f.containsKey("decompress")) {
            String value = yaml.scalar(f.get("decompress"), key + ".decompress");
            decompress = switch (value.toLowerCase(Locale.ROOT)) {
                case "zstd" -> Decompression.ZSTD;
                case "none" -> Decompression.NONE;
                default -> throw yaml.error(f.get("decompress"), key + ".decompress",
                        "unknown value '" + value + "' (use zstd or none)");
            };
        }
        boolean nocloud = !f.containsKey("nocloud") || yaml.bool(f.get("nocloud"), key + ".nocloud");

        SizePreset preset = sizes.get("small");
        if (f.containsKey("size")) {
            String sizeName = yaml.scalar(f.get("size"), key + ".size");
            preset = sizes.get(sizeName);
            if (preset == null) {
                throw yaml.error(f.get("size"), key + ".size", "unknown size '" + sizeName + "' (known: "
                        + String.join(", ", sizes.keySet()) + ")");
            }
        }
        int cpus = f.containsKey("cpus") ? yaml.positiveInt(f.get("cpus"), key + ".cpus", 256) : preset.cpus();
        long memory = f.containsKey("memory") ? ImageMapLoader.memory(yaml, f.get("memory"), key + ".memory") : preset.memoryMiB();
        long disk = 0;
        if (f.containsKey("disk")) {
            try {
                disk = Sizes.gibibytes(yaml.scalar(f.get("disk"), key + ".disk"));
            } catch (IllegalArgumentException e) {
                throw yaml.error(f.get("disk"), key + ".disk", e.getMessage());
            }
        }
        String backend = null;
        if (f.containsKey("backend")) {
            backend = yaml.scalar(f.get("backend"), key + ".backend").toLowerCase(Locale.ROOT);
            Set<String> known = KnownBackends.NAMES;
            if (!known.contains(backend)) {
                throw yaml.error(f.get("backend"), key + ".backend", "unknown backend '" + backend
                        + "' (use " + String.join(", ", known) + ")");
            }
        }
        String sha256 = null;
        if (f.containsKey("sha256")) {
            sha256 = yaml.scalar(f.get("sha256"), key + ".sha256");
            if (!SHA256.matcher(sha256).matches()) {
                throw yaml.error(f.get("sha256"), key + ".sha256", "must be 64 hex digits");
            }
            sha256 = sha256.toLowerCase(Locale.ROOT);
        }
        String jobScript = null;
        if (f.containsKey("job_script")) {
            Path script = base.resolve(yaml.scalar(f.get("job_script"), key + ".job_script"));
            try {
                jobScript = Files.readString(script, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw yaml.error(f.get("job_script"), key + ".job_script", "cannot read " + script + ": "
                        + e.getMessage());
            }
        }
        Duration timeout = null;
        if (f.containsKey("timeout")) {
            try {
                timeout = Sizes.duration(yaml.scalar(f.get("timeout"), key + ".timeout"));
            } catch (IllegalArgumentException e) {
                throw yaml.error(f.get("timeout"), key + ".timeout", e.getMessage());
            }
            if (timeout.isZero()) {
                throw yaml.error(f.get("timeout"), key + ".timeout", "must be more than zero");
            }
        }
        String user = null;
        if (f.containsKey("user")) {
            user = yaml.scalar(f.get("user"), key + ".user");
            if (!JobEnvironment.isUserName(user)) {
                throw yaml.error(f.get("user"), key + ".user", "'" + user + "' is not a user name (lower-case"
                        + " letters, digits, _ and -, not starting with a digit or -, at most 32)");
            }
        }
        GuestNetwork network = f.containsKey("network")
                ? NetworkConfigLoader.parse(yaml, base, f.get("network"), key + ".network") : GuestNetwork.DHCP;
        return new ImageDefinition(name, source, localPath, decompress, nocloud, cpus, memory, disk, backend,
                sha256, jobScript, timeout, user, network, hardware(yaml, f, key));
    }

    /** The keys {@code cpu}, {@code disk_cache}, {@code machine} and {@code firmware}; absent ones keep the default. */
    private static GuestHardware hardware(YamlNodes yaml, Map<String, Node> f, String key) {
        GuestHardware d = GuestHardware.DEFAULTS;
        return new GuestHardware(
                hardwareValue(yaml, f, key, "cpu", GuestHardware.CpuModel::parse, d.cpu()),
                hardwareValue(yaml, f, key, "disk_cache", GuestHardware.DiskCache::parse, d.diskCache()),
                hardwareValue(yaml, f, key, "machine", GuestHardware.Machine::parse, d.machine()),
                hardwareValue(yaml, f, key, "firmware", GuestHardware.Firmware::parse, d.firmware()));
    }

    private static <T> T hardwareValue(YamlNodes yaml, Map<String, Node> f, String key, String name,
                                       Function<String, T> parse, T otherwise) {
        if (!f.containsKey(name)) {
            return otherwise;
        }
        try {
            return parse.apply(yaml.scalar(f.get(name), key + "." + name));
        } catch (IllegalArgumentException e) {
            throw yaml.error(f.get(name), key + "." + name, e.getMessage());
        }
    }

    private static URI source(YamlNodes yaml, Node node, String key) {
        String value = yaml.scalar(node, key);
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!Set.of("https", "http", "file").contains(scheme)) {
                throw yaml.error(node, key, "must be an https, http or file URL, was '" + value + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw yaml.error(node, key, "is not a valid URL: " + e.getMessage());
        }
    }
}
