package io.metal3.icc.nmstate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An interface's {@code ethtool} block as nmstate 2.2 writes it to the {@code [ethtool]} keyfile
 * section: pause, ring, coalesce and feature settings, with nmstate's aliases, allow-list and quirks
 * (pause rx/tx only without autoneg, adaptive coalescing as 1/0, tx-usecs never written).
 */
final class Ethtool {

    private Ethtool() {
    }

    private static final List<String> RING = List.of("rx", "tx", "rx-jumbo", "rx-mini");
    private static final Set<String> RING_IGNORED = Set.of("rx-max", "tx-max", "rx-jumbo-max", "rx-mini-max");
    private static final List<String> COALESCE_U32 = List.of("pkt-rate-high", "pkt-rate-low", "rx-frames",
            "rx-frames-high", "rx-frames-irq", "rx-frames-low", "rx-usecs", "rx-usecs-high", "rx-usecs-irq",
            "rx-usecs-low", "sample-interval", "stats-block-usecs", "tx-frames", "tx-frames-high", "tx-frames-irq",
            "tx-frames-low");
    private static final Set<String> COALESCE_IGNORED = Set.of("tx-usecs", "tx-usecs-high", "tx-usecs-irq", "tx-usecs-low");

    /** Alias → kernel name, in nmstate's order: a later alias for the same kernel name wins. */
    private static final List<String[]> ALIASES = List.of(
            new String[] {"rx", "rx-checksum"}, new String[] {"rx-checksumming", "rx-checksum"},
            new String[] {"ufo", "tx-udp-fragmentation"},
            new String[] {"gso", "tx-generic-segmentation"}, new String[] {"generic-segmentation-offload", "tx-generic-segmentation"},
            new String[] {"gro", "rx-gro"}, new String[] {"generic-receive-offload", "rx-gro"},
            new String[] {"lro", "rx-lro"}, new String[] {"large-receive-offload", "rx-lro"},
            new String[] {"rxvlan", "rx-vlan-hw-parse"}, new String[] {"rx-vlan-offload", "rx-vlan-hw-parse"},
            new String[] {"txvlan", "tx-vlan-hw-insert"}, new String[] {"tx-vlan-offload", "tx-vlan-hw-insert"},
            new String[] {"ntuple", "rx-ntuple-filter"}, new String[] {"ntuple-filters", "rx-ntuple-filter"},
            new String[] {"rxhash", "rx-hashing"}, new String[] {"receive-hashing", "rx-hashing"});

    /** Kernel name → NetworkManager's short name. */
    private static final Map<String, String> NM_NAME = Map.of("rx-checksum", "rx", "tx-scatter-gather", "sg",
            "tx-tcp-segmentation", "tso", "rx-gro", "gro", "tx-generic-segmentation", "gso", "rx-hashing", "rxhash",
            "rx-lro", "lro", "rx-ntuple-filter", "ntuple", "rx-vlan-hw-parse", "rxvlan", "tx-vlan-hw-insert", "txvlan");

    /** The feature-* keys NetworkManager knows. */
    private static final Set<String> KNOWN = Set.of("esp-hw-offload", "esp-tx-csum-hw-offload", "fcoe-mtu", "gro", "gso",
            "highdma", "hw-tc-offload", "l2-fwd-offload", "loopback", "lro", "macsec-hw-offload", "ntuple", "rx", "rxhash",
            "rxvlan", "rx-all", "rx-fcs", "rx-gro-hw", "rx-gro-list", "rx-udp-gro-forwarding", "rx-udp_tunnel-port-offload",
            "rx-vlan-filter", "rx-vlan-stag-filter", "rx-vlan-stag-hw-parse", "sg", "tls-hw-record", "tls-hw-rx-offload",
            "tls-hw-tx-offload", "tso", "tx", "txvlan", "tx-checksum-fcoe-crc", "tx-checksum-ipv4", "tx-checksum-ipv6",
            "tx-checksum-ip-generic", "tx-checksum-sctp", "tx-esp-segmentation", "tx-fcoe-segmentation",
            "tx-gre-csum-segmentation", "tx-gre-segmentation", "tx-gso-list", "tx-gso-partial", "tx-gso-robust",
            "tx-ipxip4-segmentation", "tx-ipxip6-segmentation", "tx-nocache-copy", "tx-scatter-gather",
            "tx-scatter-gather-fraglist", "tx-sctp-segmentation", "tx-tcp6-segmentation", "tx-tcp-ecn-segmentation",
            "tx-tcp-mangleid-segmentation", "tx-tcp-segmentation", "tx-tunnel-remcsum-segmentation", "tx-udp-segmentation",
            "tx-udp_tnl-csum-segmentation", "tx-udp_tnl-segmentation", "tx-vlan-stag-hw-insert");

    /** @return the [ethtool] keys, or null when the interface has no ethtool block */
    static Map<String, String> keys(Object raw, String iface) throws NmstateException {
        if (raw == null) {
            return null;
        }
        String where = "interface " + iface + " ethtool";
        Map<String, Object> e = Yaml.map(raw, where);
        Yaml.onlyKeys(e, Set.of("pause", "feature", "coalesce", "ring"), where);
        Map<String, String> out = new TreeMap<>();
        pause(Yaml.map(e.get("pause"), where + " pause"), where + " pause", out);
        Map<String, Object> ring = Yaml.map(e.get("ring"), where + " ring");
        Yaml.onlyKeys(ring, union(RING, RING_IGNORED), where + " ring");
        for (String k : RING) {
            put(out, "ring-" + k, Yaml.uint(ring.get(k), where + " ring " + k, Yaml.U32));
        }
        Map<String, Object> coalesce = Yaml.map(e.get("coalesce"), where + " coalesce");
        Set<String> coalesceKeys = union(COALESCE_U32, COALESCE_IGNORED);
        coalesceKeys = union(List.copyOf(coalesceKeys), Set.of("adaptive-rx", "adaptive-tx"));
        Yaml.onlyKeys(coalesce, coalesceKeys, where + " coalesce");
        for (String k : List.of("adaptive-rx", "adaptive-tx")) {
            Boolean b = bool(coalesce.get(k), where + " coalesce " + k);
            put(out, "coalesce-" + k, b == null ? null : b ? "1" : "0");
        }
        for (String k : COALESCE_U32) {
            put(out, "coalesce-" + k, Yaml.uint(coalesce.get(k), where + " coalesce " + k, Yaml.U32));
        }
        features(Yaml.map(e.get("feature"), where + " feature"), where + " feature", out);
        return out;
    }

    private static void pause(Map<String, Object> pause, String where, Map<String, String> out) throws NmstateException {
        Yaml.onlyKeys(pause, Set.of("autoneg", "rx", "tx"), where);
        Boolean autoneg = bool(pause.get("autoneg"), where + " autoneg");
        Boolean rx = bool(pause.get("rx"), where + " rx");
        Boolean tx = bool(pause.get("tx"), where + " tx");
        put(out, "pause-autoneg", autoneg);
        if (Boolean.FALSE.equals(autoneg)) {
            // With autonegotiation on, the link partner decides: nmstate drops rx/tx.
            put(out, "pause-rx", rx);
            put(out, "pause-tx", tx);
        }
    }

    private static void features(Map<String, Object> given, String where, Map<String, String> out) throws NmstateException {
        Map<String, Boolean> byKernelName = new LinkedHashMap<>();
        Map<String, String> aliasOf = new LinkedHashMap<>();
        for (String[] a : ALIASES) {
            aliasOf.put(a[0], a[1]);
        }
        for (Map.Entry<String, Object> f : given.entrySet()) {
            Text.checked(f.getKey(), where + " name");
            if (!aliasOf.containsKey(f.getKey())) {
                byKernelName.put(f.getKey(), featureValue(f.getValue(), where + " " + f.getKey()));
            }
        }
        for (String[] a : ALIASES) {
            if (given.containsKey(a[0])) {
                byKernelName.put(a[1], featureValue(given.get(a[0]), where + " " + a[0]));
            }
        }
        for (Map.Entry<String, Boolean> f : byKernelName.entrySet()) {
            String name = NM_NAME.getOrDefault(f.getKey(), f.getKey());
            if (!KNOWN.contains(name)) {
                throw NmstateException.invalid("InvalidArgument:Unsupported ethtool feature feature-" + name);
            }
            out.put("feature-" + name, f.getValue().toString());
        }
    }

    /** A feature value: a YAML boolean, or the strings true/false (any case), 1 or 0. */
    private static Boolean featureValue(Object v, String where) throws NmstateException {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s) {
            switch (s.toLowerCase(Locale.ROOT)) {
                case "true", "1" -> {
                    return true;
                }
                case "false", "0" -> {
                    return false;
                }
                default -> { }
            }
        }
        throw NmstateException.invalid("Invalid YAML string: " + where + ": Invalid feature value, should be boolean");
    }

    /** LLDP's and pause's booleans: nmstate's spellings (those of {@link Yaml#bool}), with its message. */
    static Boolean bool(Object v, String where) throws NmstateException {
        try {
            return Yaml.bool(v, where);
        } catch (NmstateException e) {
            throw NmstateException.invalid("Invalid YAML string: " + where + ": invalid value " + Yaml.describe(v)
                    + ": Need to be boolean: 1|0|true|false|yes|no|on|off|y|n");
        }
    }

    /** {@code lldp: {enabled: …}} → the [connection] lldp value, or null without an lldp block. */
    static String lldp(Object raw, String iface) throws NmstateException {
        if (raw == null) {
            return null;
        }
        String where = "interface " + iface + " lldp";
        Map<String, Object> l = Yaml.map(raw, where);
        Yaml.onlyKeys(l, Set.of("enabled", "neighbors"), where);
        if (!l.containsKey("enabled")) {
            throw NmstateException.invalid("Invalid YAML string: " + where + ": missing field `enabled`");
        }
        Boolean enabled = bool(l.get("enabled"), where + " enabled");
        if (enabled == null) {
            throw NmstateException.invalid("Invalid YAML string: " + where + ": missing field `enabled`");
        }
        return enabled ? "1" : "0";
    }

    private static void put(Map<String, String> out, String key, Object value) {
        if (value != null) {
            out.put(key, value.toString());
        }
    }

    private static Set<String> union(List<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
