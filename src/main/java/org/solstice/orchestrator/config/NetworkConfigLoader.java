package org.solstice.orchestrator.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The image map's {@code network:} value: {@code dhcp} (the default), {@code none}, or the path of a NoCloud
 * network-config file the operator wrote. The file is read once, at start-up, and must be YAML with
 * {@code version: 2} (at the top, or under a top-level {@code network:} key, as cloud-init accepts both) and only
 * the version 2 top-level keys; its errors name the file, line and key.
 */
final class NetworkConfigLoader {
    static final Set<String> V2_KEYS = new LinkedHashSet<>(List.of("version", "renderer", "ethernets", "bonds",
            "bridges", "vlans", "wifis", "tunnels", "vrfs", "modems"));

    private NetworkConfigLoader() {
    }

    static GuestNetwork parse(YamlNodes yaml, Path base, Node node, String key) {
        String value = yaml.scalar(node, key);
        return switch (value) {
            case "dhcp" -> GuestNetwork.DHCP;
            case "none" -> GuestNetwork.NONE;
            default -> {
                Path file = base.resolve(value).normalize();
                String text;
                try {
                    text = Files.readString(file, StandardCharsets.UTF_8);
                } catch (NoSuchFileException e) {
                    throw yaml.error(node, key, "'" + value + "' is neither dhcp nor none, and no file " + file
                            + " exists");
                } catch (IOException e) {
                    throw yaml.error(node, key, "cannot read " + file + ": " + e.getMessage());
                }
                validate(file, text);
                yield new GuestNetwork(GuestNetwork.Mode.FILE, text, file);
            }
        };
    }

    /** Checks a network-config file; errors name that file, its line and key. */
    static void validate(Path file, String text) {
        YamlNodes yaml = new YamlNodes(file);
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // reported by YamlNodes with the line
        Node root;
        try (Reader reader = new StringReader(text)) {
            root = new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new ConfigException(file, line, null, "network-config is not valid YAML: " + e.getProblem());
        } catch (YAMLException | IOException e) {
            throw new ConfigException(file, 0, null, "network-config is not valid YAML: " + e.getMessage());
        }
        if (root == null) {
            throw new ConfigException(file, 0, null, "network-config is empty (write version: 2)");
        }
        Map<String, Node> top = yaml.mapping(root, "", null);
        Node config = root;
        String prefix = "";
        if (top.containsKey("network") && !top.containsKey("version")) {
            config = top.get("network");
            prefix = "network.";
        }
        Map<String, Node> keys = yaml.mapping(config, prefix.isEmpty() ? "" : "network", V2_KEYS);
        Node version = keys.get("version");
        if (version == null) {
            throw yaml.error(config, prefix + "version", "is required: only network-config version 2 is accepted");
        }
        String number = yaml.scalar(version, prefix + "version");
        if (!"2".equals(number)) {
            throw yaml.error(version, prefix + "version", "must be 2, was '" + number
                    + "' (only network-config version 2 is accepted)");
        }
        for (Map.Entry<String, Node> entry : keys.entrySet()) {
            if (!entry.getKey().equals("version") && !entry.getKey().equals("renderer")) {
                yaml.mapping(entry.getValue(), prefix + entry.getKey(), null);
            }
        }
    }
}
