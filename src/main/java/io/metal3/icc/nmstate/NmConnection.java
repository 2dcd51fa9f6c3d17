package io.metal3.icc.nmstate;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A NetworkManager connection profile as nmstate's keyfile writer emits it: sections in its fixed
 * order (a section is written when present, even without keys), keys sorted byte-wise, a key with
 * an empty value left out, lists joined with {@code ;}.
 */
final class NmConnection {

    static final List<String> SECTION_ORDER = List.of("connection", "bond", "bond-port", "bridge", "bridge-port",
            "ipv4", "ipv6", "ovs-bridge", "ovs-port", "ovs-interface", "ovs-patch", "ovs-dpdk", "ethernet", "vlan",
            "vxlan", "sriov", "macvlan", "vrf", "veth", "user", "802-1x", "ethtool", "infiniband", "ovs-external-ids",
            "ovs-other-config", "vpn", "vpn-secrets");

    /** UTF-8 byte order is code point order (String.compareTo is UTF-16 order). */
    static final Comparator<String> BYTEWISE = (a, b) -> {
        int n = Math.min(a.length(), b.length());
        for (int k = 0; k < n; k++) {
            char x = a.charAt(k);
            char y = b.charAt(k);
            if (x != y) {
                if (!Character.isSurrogate(x) && !Character.isSurrogate(y)) {
                    return x - y;
                }
                return codePoints(a, b);
            }
        }
        return a.length() - b.length();
    };

    private static int codePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private final Map<String, TreeMap<String, String>> sections = new HashMap<>();

    /** Declares a section, as nmstate does by giving a setting (written even without keys). */
    Map<String, String> section(String name) {
        if (!SECTION_ORDER.contains(name)) {
            throw new IllegalArgumentException(name);
        }
        return sections.computeIfAbsent(name, n -> new TreeMap<>(BYTEWISE));
    }

    boolean has(String section) {
        return sections.containsKey(section);
    }

    void remove(String section) {
        sections.remove(section);
    }

    String get(String section, String key) {
        Map<String, String> s = sections.get(section);
        return s == null ? null : s.get(key);
    }

    /** Sets a key in a section that must already be declared; null removes the key. */
    void set(String section, String key, Object value) {
        Map<String, String> s = sections.get(section);
        if (s == null) {
            throw new IllegalStateException("section " + section + " not declared");
        }
        if (value == null) {
            s.remove(key);
        } else {
            s.put(key, value instanceof Boolean b ? (b ? "true" : "false") : value.toString());
        }
    }

    /** Declares the section and sets the key (null leaves the key out). */
    void put(String section, String key, Object value) {
        section(section);
        set(section, key, value);
    }

    String render() {
        StringBuilder sb = new StringBuilder();
        for (String name : SECTION_ORDER) {
            TreeMap<String, String> keys = sections.get(name);
            if (keys == null) {
                continue;
            }
            sb.append('[').append(name).append("]\n");
            keys.forEach((k, v) -> {
                if (!v.isEmpty()) {
                    sb.append(k).append('=').append(v).append('\n');
                }
            });
            sb.append('\n');
        }
        if (sb.length() >= 2 && sb.charAt(sb.length() - 1) == '\n' && sb.charAt(sb.length() - 2) == '\n') {
            sb.setLength(sb.length() - 1);
        }
        return sb.toString();
    }
}
