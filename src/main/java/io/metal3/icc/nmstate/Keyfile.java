package io.metal3.icc.nmstate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A keyfile being built: sections in nmstate's order, keys sorted byte-wise, as nmstate writes them. */
final class Keyfile {

    private static final List<String> SECTION_ORDER = List.of(
            "connection", "bond", "bond-port", "bridge", "bridge-port", "ipv4", "ipv6", "ethernet", "sriov", "vlan", "user",
            "ethtool");

    private final Map<String, TreeMap<String, String>> sections = new LinkedHashMap<>();

    /** Declares a section (written even when empty, as nmstate does for [bond] and [bridge-port]). */
    Keyfile section(String name) {
        if (!SECTION_ORDER.contains(name)) {
            throw new IllegalArgumentException(name);
        }
        sections.computeIfAbsent(name, n -> new TreeMap<>());
        return this;
    }

    /** A null or empty value writes nothing (and does not create the section). */
    Keyfile put(String section, String key, Object value) {
        if (value != null && !value.toString().isEmpty()) {
            section(section);
            sections.get(section).put(key, value.toString());
        }
        return this;
    }

    String render() {
        StringBuilder sb = new StringBuilder();
        for (String name : SECTION_ORDER) {
            TreeMap<String, String> keys = sections.get(name);
            if (keys == null) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append('[').append(name).append("]\n");
            keys.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        }
        return sb.toString();
    }
}
