package org.solstice.orchestrator.hypervisor.zones;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of {@code zoneadm list -p} / {@code list -cp}:
 * {@code zoneid:zonename:state:zonepath:uuid:brand:ip-type[:...]}. zoneid is {@code -} for a zone that is not
 * running; a colon or backslash inside a field is escaped with a backslash.
 */
public record ZoneEntry(String id, String name, ZoneState state, String zonepath, String uuid, String brand) {

    public static List<ZoneEntry> parseAll(String output) {
        List<ZoneEntry> entries = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (!line.isBlank()) {
                entries.add(parse(line));
            }
        }
        return entries;
    }

    public static ZoneEntry parse(String line) {
        List<String> fields = split(line.strip());
        if (fields.size() < 6) {
            throw new IllegalArgumentException("not a zoneadm list -p line: " + line);
        }
        return new ZoneEntry(fields.get(0), fields.get(1), ZoneState.parse(fields.get(2)), fields.get(3),
                fields.get(4), fields.get(5));
    }

    private static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                field.append(line.charAt(++i));
            } else if (c == ':') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
