package org.solstice.orchestrator.e2e;

import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.solstice.orchestrator.hypervisor.libvirt.LibvirtTestEnvironment;

/**
 * The Debian 12 guest built by {@code testvm/build-debian-image.sh}: where its cache keeps it (keyed by the
 * script's content, as the script computes it), the commits of the repository inside it, and an image map
 * for it with the DEFAULT job body.
 */
final class DebianGuest {
    static final String LABEL = "debian-12";
    /** The guest's system gitconfig maps this prefix to its bare repositories under /srv/repos. */
    static final String REPO_URL = "https://git.solstice.test/solstice/e2e.git";
    private static final Path SCRIPT = Path.of("testvm/build-debian-image.sh");
    private static final String CACHE = setting("SOLSTICE_TEST_DEBIAN_CACHE", "/var/cache/solstice-testvm");

    private final Path dir;
    private final Map<String, String> commits;

    private DebianGuest(Path dir, Map<String, String> commits) {
        this.dir = dir;
        this.commits = commits;
    }

    /** Fails, saying what to run, when this script's image has not been built on this machine. */
    static DebianGuest require() throws Exception {
        byte[] script = Files.readAllBytes(SCRIPT);
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(script))
                .substring(0, 16);
        Path dir = Path.of(CACHE, hash);
        Path commitsFile = dir.resolve(LABEL + ".commits");
        if (!Files.isRegularFile(dir.resolve(LABEL + ".qcow2.zst")) || !Files.isRegularFile(commitsFile)) {
            fail("the Debian test guest for this build script is missing in " + dir + ": run, as root, "
                    + SCRIPT + " " + CACHE + " (a few minutes; then cached until the script changes)");
        }
        Map<String, String> commits = new LinkedHashMap<>();
        for (String line : Files.readAllLines(commitsFile, StandardCharsets.UTF_8)) {
            String[] parts = line.trim().split(" ");
            if (parts.length == 2) {
                commits.put(parts[0], parts[1]);
            }
        }
        return new DebianGuest(dir, commits);
    }

    /** The id of the repository's commit whose {@code .solstice/job.sh} does {@code name} ({@code exit-0}, ...). */
    String commit(String name) {
        String sha = commits.get(name);
        if (sha == null) {
            throw new IllegalStateException("no commit " + name + " in " + dir + " (has " + commits.keySet() + ")");
        }
        return sha;
    }

    /** Writes {@code map.yaml} (one image, the default job body) into {@code dir}, opened to the QEMU user. */
    Path writeImageMap(Path mapDir, String timeout) throws Exception {
        Path images = Files.createDirectories(mapDir.resolve("images"));
        LibvirtTestEnvironment.openToQemu(mapDir);
        LibvirtTestEnvironment.openToQemu(images);
        String map = "default_label: " + LABEL + "\nimages:\n"
                + "  " + LABEL + ":\n"
                + "    source: " + dir.resolve(LABEL + ".qcow2.zst").toUri() + "\n"
                + "    local_path: images/" + LABEL + ".qcow2\n"
                + "    decompress: zstd\n"
                + "    cpus: 2\n"
                + "    memory: 1G\n"
                + "    timeout: " + timeout + "\n";
        Path file = mapDir.resolve("map.yaml");
        Files.writeString(file, map);
        return file;
    }

    private static String setting(String name, String fallback) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isBlank() ? fallback : value;
    }
}
