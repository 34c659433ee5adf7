package org.solstice.orchestrator.config;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Loads and validates the YAML image map. Every error is a {@link ConfigException} naming file, line and key:
 * unknown keys, alias cycles, aliases to nothing, a default label that resolves to nothing, bad sizes, unknown
 * decompress values, unknown backends, bad user names, network-config files that are not version 2 YAML.
 */
public final class ImageMapLoader {
    static final Set<String> TOP_KEYS = orderedSet("default_label", "aliases", "sizes", "images");
    static final Set<String> SIZE_KEYS = orderedSet("cpus", "memory");
    static final Set<String> IMAGE_KEYS = orderedSet("source", "local_path", "decompress", "nocloud",
            "size", "cpus", "memory", "disk", "backend", "sha256", "job_script", "timeout", "user", "network",
            "cpu", "disk_cache", "machine", "firmware");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:+-]{0,127}");

    private ImageMapLoader() {
    }

    /** Every key the image map accepts, by section: for the configuration reference and its test. */
    public static java.util.Map<String, Set<String>> documentedKeys() {
        java.util.Map<String, Set<String>> keys = new java.util.LinkedHashMap<>();
        keys.put("top level", TOP_KEYS);
        keys.put("sizes.<name>", SIZE_KEYS);
        keys.put("images.<name>", IMAGE_KEYS);
        return keys;
    }

    public static ImageMap load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, 0, null, "image map file does not exist");
        } catch (IOException e) {
            throw new ConfigException(file, 0, null, "cannot read image map: " + e.getMessage());
        }
        return parse(file, text);
    }

    public static ImageMap parse(Path file, String text) {
        YamlNodes yaml = new YamlNodes(file);
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // reported by YamlNodes with the line
        options.setMaxAliasesForCollections(50);
        Node root;
        try (Reader reader = new java.io.StringReader(text)) {
            root = new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new ConfigException(file, line, null, "not valid YAML: " + e.getProblem());
        } catch (YAMLException | IOException e) {
            throw new ConfigException(file, 0, null, "not valid YAML: " + e.getMessage());
        }
        if (root == null) {
            throw new ConfigException(file, 0, null, "image map is empty");
        }
        Map<String, Node> top = yaml.mapping(root, "", TOP_KEYS);

        Map<String, SizePreset> sizes = SizePreset.defaults();
        if (top.containsKey("sizes")) {
            yaml.mapping(top.get("sizes"), "sizes", null).forEach((name, node) ->
                    sizes.put(name, parseSize(yaml, name, node)));
        }

        Node imagesNode = top.get("images");
        if (imagesNode == null) {
            throw yaml.error(root, "images", "is required: the map must define at least one image");
        }
        Path base = file.toAbsolutePath().getParent();
        Map<String, ImageDefinition> images = new LinkedHashMap<>();
        Map<String, Node> imageNodes = yaml.mapping(imagesNode, "images", null);
        if (imageNodes.isEmpty()) {
            throw yaml.error(imagesNode, "images", "must define at least one image");
        }
        imageNodes.forEach((name, node) -> {
            checkName(yaml, node, "images." + name, name);
            images.put(name, ImageEntryReader.read(yaml, base, sizes, name, node));
        });

        Map<String, String> aliases = new LinkedHashMap<>();
        Map<String, Node> aliasNodes = top.containsKey("aliases")
                ? yaml.mapping(top.get("aliases"), "aliases", null) : Map.of();
        aliasNodes.forEach((alias, node) -> {
            String key = "aliases." + alias;
            checkName(yaml, node, key, alias);
            if (images.containsKey(alias)) {
                throw yaml.error(node, key, "is both an alias and an image name");
            }
            aliases.put(alias, yaml.scalar(node, key));
        });
        aliasNodes.forEach((alias, node) -> checkAlias(yaml, node, alias, aliases, images));

        if (!top.containsKey("default_label")) {
            throw yaml.error(root, "default_label", "is required");
        }
        Node defaultNode = top.get("default_label");
        String defaultLabel = yaml.scalar(defaultNode, "default_label");
        if (!images.containsKey(defaultLabel) && !aliases.containsKey(defaultLabel)) {
            throw yaml.error(defaultNode, "default_label", "'" + defaultLabel
                    + "' resolves to nothing: it is neither an image nor an alias (labels: "
                    + String.join(", ", new LinkedHashSet<>(concat(images.keySet(), aliases.keySet()))) + ")");
        }
        return new ImageMap(file, defaultLabel, aliases, sizes, images);
    }

    private static SizePreset parseSize(YamlNodes yaml, String name, Node node) {
        String key = "sizes." + name;
        Map<String, Node> fields = yaml.mapping(node, key, SIZE_KEYS);
        if (!fields.containsKey("cpus") || !fields.containsKey("memory")) {
            throw yaml.error(node, key, "a size needs both cpus and memory");
        }
        int cpus = yaml.positiveInt(fields.get("cpus"), key + ".cpus", 256);
        long memory = memory(yaml, fields.get("memory"), key + ".memory");
        return new SizePreset(name, cpus, memory);
    }

    static long memory(YamlNodes yaml, Node node, String key) {
        try {
            long mib = Sizes.mebibytes(yaml.scalar(node, key));
            if (mib < 64) {
                throw yaml.error(node, key, "must be at least 64M, was " + mib + "M");
            }
            return mib;
        } catch (IllegalArgumentException e) {
            throw yaml.error(node, key, e.getMessage());
        }
    }

    private static void checkName(YamlNodes yaml, Node node, String key, String name) {
        if (!NAME.matcher(name).matches()) {
            throw yaml.error(node, key, "'" + name + "' is not a valid label (letters, digits and . _ : + -)");
        }
    }

    private static void checkAlias(YamlNodes yaml, Node node, String alias, Map<String, String> aliases,
                                   Map<String, ImageDefinition> images) {
        Set<String> seen = new HashSet<>();
        StringBuilder path = new StringBuilder(alias);
        String current = alias;
        while (true) {
            seen.add(current);
            String target = aliases.get(current);
            path.append(" -> ").append(target);
            if (images.containsKey(target)) {
                return;
            }
            if (!aliases.containsKey(target)) {
                throw yaml.error(node, "aliases." + alias, "points to '" + target
                        + "', which is neither an image nor an alias (" + path + ")");
            }
            if (seen.contains(target)) {
                throw yaml.error(node, "aliases." + alias, "alias cycle: " + path);
            }
            current = target;
        }
    }

    private static Set<String> orderedSet(String... values) {
        return new LinkedHashSet<>(List.of(values));
    }

    private static List<String> concat(Set<String> a, Set<String> b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
