package org.solstice.orchestrator.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** Reads a composed YAML node tree, keeping line numbers so every error names file, line and key. */
final class YamlNodes {
    private final Path file;

    YamlNodes(Path file) {
        this.file = file;
    }

    static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    ConfigException error(Node node, String key, String problem) {
        return new ConfigException(file, node == null ? 0 : line(node), key, problem);
    }

    /** The entries of a mapping, in file order; duplicate or non-scalar keys and keys not in {@code allowed} are errors. */
    Map<String, Node> mapping(Node node, String key, Set<String> allowed) {
        if (!(node instanceof MappingNode mapping)) {
            throw error(node, key, "must be a mapping");
        }
        Map<String, Node> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode scalarKey)) {
                throw error(tuple.getKeyNode(), key, "keys must be plain strings");
            }
            String name = scalarKey.getValue();
            String path = key.isEmpty() ? name : key + "." + name;
            if (allowed != null && !allowed.contains(name)) {
                throw error(scalarKey, path, "unknown key (allowed: " + String.join(", ", allowed) + ")");
            }
            if (entries.putIfAbsent(name, tuple.getValueNode()) != null) {
                throw error(scalarKey, path, "appears twice");
            }
        }
        return entries;
    }

    String scalar(Node node, String key) {
        if (!(node instanceof ScalarNode scalar)) {
            throw error(node, key, "must be a single value");
        }
        String value = scalar.getValue();
        if (value == null || value.isBlank()) {
            throw error(node, key, "must not be empty");
        }
        return value.trim();
    }

    boolean bool(Node node, String key) {
        String value = scalar(node, key);
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw error(node, key, "must be true or false, was '" + value + "'");
        };
    }

    int positiveInt(Node node, String key, int max) {
        String value = scalar(node, key);
        try {
            int n = Integer.parseInt(value);
            if (n < 1 || n > max) {
                throw error(node, key, "must be between 1 and " + max + ", was " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw error(node, key, "must be a whole number, was '" + value + "'");
        }
    }
}
