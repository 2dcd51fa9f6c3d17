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

    private static final List<String> COALESCE_U32 = List.of("pkt-rate-high", "pkt-rate-low", "rx-frames",
            "rx-frames-high", "rx-frames-irq", "rx-frames-low", "rx-usecs", "rx-usecs-high", "rx-usecs-irq",
            "rx-usecs-low", "sample-interval", "stats-block-usecs", "tx-frames", "tx-frames-high", "tx-frames-irq",
            "tx-frames-low");

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

    /**
     * The [ethtool] keys, or null when the interface has no ethtool block. A feature NetworkManager
     * does not know is refused when the profile is built, as nmstate does: the key {@link #UNKNOWN_FEATURE}
     * then names it.
     */
    static Map<String, String> keys(Object raw, Fields.Errors e) throws NmstateException {
        Fields f = Fields.of(raw, "EthtoolConfig", e);
        Map<String, String> out = new TreeMap<>();
        Object pause = f.raw("pause");
        if (pause != null) {
            Fields p = Fields.of(pause, "EthtoolPauseConfig", e);
            Boolean rx = p.boolOrString("rx");
            Boolean tx = p.boolOrString("tx");
            Boolean autoneg = p.boolOrString("autoneg");
            p.done();
            put(out, "pause-autoneg", autoneg);
            if (Boolean.FALSE.equals(autoneg)) {
                // With autonegotiation on, the link partner decides: nmstate drops rx/tx.
                put(out, "pause-rx", rx);
                put(out, "pause-tx", tx);
            }
        }
        String k = f.key("feature");
        if (k != null) {
            Object feature = f.map().get(k);
            if (!(feature instanceof Map<?, ?>)) {
                throw e.error("invalid type: " + Yaml.describe(feature) + ", expected Need to hash map of String:bool");
            }
            features(Fields.map(feature, e), e, out);
        }
        Object coalesce = f.raw("coalesce");
        if (coalesce != null) {
            Fields c = Fields.of(coalesce, "EthtoolCoalesceConfig", e);
            for (String a : List.of("adaptive-rx", "adaptive-tx")) {
                Boolean b = c.boolOrString(a);
                put(out, "coalesce-" + a, b == null ? null : b ? "1" : "0");
            }
            for (String n : COALESCE_U32) {
                put(out, "coalesce-" + n, c.uintOrString(n, Fields.U32));
            }
            for (String n : List.of("tx-usecs", "tx-usecs-high", "tx-usecs-irq", "tx-usecs-low")) {
                c.uintOrString(n, Fields.U32); // read, never written (nmstate 2.2)
            }
            c.done();
        }
        Object ring = f.raw("ring");
        if (ring != null) {
            Fields r = Fields.of(ring, "EthtoolRingConfig", e);
            for (String n : List.of("rx", "rx-max", "rx-jumbo", "rx-jumbo-max", "rx-mini", "rx-mini-max", "tx", "tx-max")) {
                Long v = r.uintOrString(n, Fields.U32);
                if (!n.endsWith("-max")) {
                    put(out, "ring-" + n, v);
                }
            }
            r.done();
        }
        f.done();
        return out;
    }

    /** Set instead of a key when a feature is unknown to NetworkManager: nmstate fails when it writes the profile. */
    static final String UNKNOWN_FEATURE = "\0unknown-feature";

    private static void features(Map<String, Object> given, Fields.Errors e, Map<String, String> out)
            throws NmstateException {
        Map<String, Boolean> byKernelName = new LinkedHashMap<>();
        Map<String, String> aliasOf = new LinkedHashMap<>();
        for (String[] a : ALIASES) {
            aliasOf.put(a[0], a[1]);
        }
        for (Map.Entry<String, Object> f : given.entrySet()) {
            Text.checked(f.getKey(), "ethtool feature name");
            Boolean v = featureValue(f.getValue(), e);
            if (!aliasOf.containsKey(f.getKey())) {
                byKernelName.put(f.getKey(), v);
            }
        }
        for (String[] a : ALIASES) {
            if (given.containsKey(a[0])) {
                byKernelName.put(a[1], featureValue(given.get(a[0]), e));
            }
        }
        for (Map.Entry<String, Boolean> f : byKernelName.entrySet()) {
            String name = NM_NAME.getOrDefault(f.getKey(), f.getKey());
            if (!KNOWN.contains(name)) {
                out.putIfAbsent(UNKNOWN_FEATURE, "InvalidArgument:Unsupported ethtool feature feature-" + name);
                continue;
            }
            out.put("feature-" + name, f.getValue().toString());
        }
    }

    /** A feature value: a YAML boolean, or the strings true/false (any case), 1 or 0. */
    private static Boolean featureValue(Object v, Fields.Errors e) throws NmstateException {
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
        throw e.error("Invalid feature value, should be boolean");
    }

    /** {@code lldp: {enabled: …}} → whether LLDP is on ([connection] lldp=1 or 0). */
    static Boolean lldp(Object raw, Fields.Errors e) throws NmstateException {
        Fields f = Fields.of(raw, "LldpConfig", e);
        boolean present = f.present("enabled");
        Object enabled = f.required("enabled");
        Boolean value = present ? Fields.boolOrString(enabled, e) : null;
        f.key("neighbors");
        f.done();
        return value;
    }

    /** Writes the [ethtool] section (present even when empty), or fails as nmstate does on an unknown feature. */
    static void write(Map<String, String> keys, NmConnection c) throws NmstateException {
        String unknown = keys.get(UNKNOWN_FEATURE);
        if (unknown != null) {
            throw NmstateException.invalid(unknown);
        }
        c.section("ethtool");
        keys.forEach((k, v) -> c.set("ethtool", k, v));
    }

    private static void put(Map<String, String> out, String key, Object value) {
        if (value != null) {
            out.put(key, value.toString());
        }
    }
}
