package org.solstice.orchestrator.hypervisor.zones;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a zonecfg command file (run as {@code zonecfg -z NAME -f FILE}). Every value is written
 * double-quoted: zonecfg's lexer takes a quoted token up to the next double quote and has no escape
 * character, so a value holding a double quote or a line break cannot be expressed and is refused.
 */
public final class ZonecfgScript {
    private final List<String> lines = new ArrayList<>();

    /** {@code create -b}: a blank configuration, no template properties or resources. */
    public static ZonecfgScript blank() {
        ZonecfgScript script = new ZonecfgScript();
        script.lines.add("create -b");
        return script;
    }

    public ZonecfgScript set(String property, String value) {
        lines.add("set " + name(property) + "=" + quote(value));
        return this;
    }

    /** {@code add attr} with {@code type=string}: bhyve's settings and this orchestrator's marker. */
    public ZonecfgScript attr(String name, String value) {
        lines.add("add attr");
        lines.add("set name=" + quote(name));
        lines.add("set type=string");
        lines.add("set value=" + quote(value));
        lines.add("end");
        return this;
    }

    /** {@code add device} mapping a device path (a zvol's raw device) into the zone. */
    public ZonecfgScript device(String match) {
        lines.add("add device");
        lines.add("set match=" + quote(match));
        lines.add("end");
        return this;
    }

    /** {@code add net} with an existing link (a VNIC) given to the exclusive-IP zone. */
    public ZonecfgScript net(String physical) {
        lines.add("add net");
        lines.add("set physical=" + quote(physical));
        lines.add("end");
        return this;
    }

    /** {@code add fs} of type lofs mounting {@code special} read-only at {@code dir} inside the zone. */
    public ZonecfgScript readOnlyLofs(String dir, String special) {
        lines.add("add fs");
        lines.add("set dir=" + quote(dir));
        lines.add("set special=" + quote(special));
        lines.add("set type=lofs");
        lines.add("add options ro");
        lines.add("add options nodevices");
        lines.add("end");
        return this;
    }

    /** The command file text, ending with {@code commit}. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            sb.append(line).append('\n');
        }
        sb.append("commit\n");
        return sb.toString();
    }

    /** A zonecfg double-quoted token; refuses what zonecfg cannot quote. */
    public static String quote(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("zonecfg values must not be empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\n' || c == '\r' || c == '\0') {
                throw new IllegalArgumentException("zonecfg cannot quote a value containing "
                        + (c == '"' ? "a double quote" : "a line break or NUL") + ": " + value.strip());
            }
        }
        return "\"" + value + "\"";
    }

    private static String name(String property) {
        if (!property.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("not a zonecfg property name: " + property);
        }
        return property;
    }
}
