package io.metal3.icc.nmstate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code type: bond} and its {@code link-aggregation:} section: mode, typed options (nmstate knows
 * each kernel bonding option and its values), ports and per-port settings ({@code ports-config}:
 * priority, queue-id) written to the ports' [bond-port] sections.
 */
final class BondIface extends Iface {

    record PortConfig(String name, Long priority, Long queueId) {
    }

    static final List<String> MODES = List.of("0", "balance-rr", "1", "active-backup", "2", "balance-xor", "3",
            "broadcast", "4", "802.3ad", "5", "balance-tlb", "6", "balance-alb", "unknown");

    /** Options whose values are enums: number, name pairs (serde lists each variant's names sorted). */
    private static final Map<String, List<String>> ENUM_OPTIONS = Map.of(
            "ad_select", List.of("0", "stable", "1", "bandwidth", "2", "count"),
            "all_slaves_active", List.of("0", "dropped", "1", "delivered"),
            "arp_all_targets", List.of("0", "any", "1", "all"),
            "arp_validate", List.of("0", "none", "1", "active", "2", "backup", "3", "all", "4", "filter", "5",
                    "filter_active", "6", "filter_backup"),
            "fail_over_mac", List.of("0", "none", "1", "active", "2", "follow"),
            "lacp_rate", List.of("0", "slow", "1", "fast"),
            "primary_reselect", List.of("0", "always", "1", "better", "2", "failure"),
            "xmit_hash_policy", List.of("0", "layer2", "1", "layer3+4", "2", "layer2+3", "3", "encap2+3", "4",
                    "encap3+4", "5", "vlan+srcmac"));

    boolean linkAggregationGiven;
    String mode;
    /** Options in nmstate's field order, values as written to the keyfile; null when not given. */
    Map<String, String> options;
    List<String> port;
    List<PortConfig> portsConfig;

    BondIface(Map<String, Object> raw) {
        super(raw, IfaceType.BOND);
    }

    @Override
    void readOwn(Fields f) throws NmstateException {
        Object la = f.raw("link-aggregation");
        if (la == null) {
            return;
        }
        linkAggregationGiven = true;
        Fields.Errors e = f.errors();
        Fields b = Fields.of(la, "BondConfig", e);
        String m = b.numberAsStringVariant("mode", MODES);
        mode = m == null ? null : canonicalMode(m);
        Object opts = b.raw("options");
        if (opts != null) {
            options = readOptions(Fields.of(opts, "BondOptions", e));
        }
        List<String> ports = b.stringList("port", "ports");
        if (ports != null) {
            port = new ArrayList<>();
            for (String p : ports) {
                port.add(Text.name(p, "bond port name"));
            }
        }
        Object pc = b.raw("ports-config");
        if (pc != null) {
            portsConfig = new ArrayList<>();
            for (Object o : Fields.list(pc, e)) {
                Fields c = Fields.of(o, "BondPortConfig", e);
                String n = Text.name(c.requiredString("name"), "bond port name");
                Long prio = c.intOrString("priority", Integer.MIN_VALUE, Integer.MAX_VALUE);
                Long qid = c.uintOrString("queue-id", Fields.U16);
                c.finish();
                portsConfig.add(new PortConfig(n, prio, qid));
            }
        }
        b.done();
    }

    private static String canonicalMode(String m) {
        return switch (m) {
            case "0" -> "balance-rr";
            case "1" -> "active-backup";
            case "2" -> "balance-xor";
            case "3" -> "broadcast";
            case "4" -> "802.3ad";
            case "5" -> "balance-tlb";
            case "6" -> "balance-alb";
            default -> m;
        };
    }

    private static Map<String, String> readOptions(Fields o) throws NmstateException {
        Map<String, String> out = new LinkedHashMap<>();
        putNum(out, "ad_actor_sys_prio", o.uintOrString("ad_actor_sys_prio", Fields.U16));
        String system = Text.checked(o.string("ad_actor_system"), "bond option ad_actor_system");
        if (system != null) {
            out.put("ad_actor_system", system);
        }
        putEnum(out, o, "ad_select");
        putNum(out, "ad_user_port_key", o.uintOrString("ad_user_port_key", Fields.U16));
        String asa = o.numberAsStringVariant("all_slaves_active", ENUM_OPTIONS.get("all_slaves_active"));
        if (asa != null) {
            out.put("all_slaves_active", asa.equals("dropped") || asa.equals("0") ? "0" : "1");
        }
        putEnum(out, o, "arp_all_targets");
        putNum(out, "arp_interval", o.uintOrString("arp_interval", Fields.U32));
        String target = Text.checked(o.string("arp_ip_target"), "bond option arp_ip_target");
        if (target != null) {
            out.put("arp_ip_target", target);
        }
        putEnum(out, o, "arp_validate");
        putNum(out, "downdelay", o.uintOrString("downdelay", Fields.U32));
        putEnum(out, o, "fail_over_mac");
        putEnum(out, o, "lacp_rate");
        putNum(out, "lp_interval", o.uintOrString("lp_interval", Fields.U32));
        putNum(out, "miimon", o.uintOrString("miimon", Fields.U32));
        putNum(out, "min_links", o.uintOrString("min_links", Fields.U32));
        putNum(out, "num_grat_arp", o.uintOrString("num_grat_arp", Fields.U8));
        putNum(out, "num_unsol_na", o.uintOrString("num_unsol_na", Fields.U8));
        putNum(out, "packets_per_slave", o.uintOrString("packets_per_slave", Fields.U32));
        String primary = Text.checked(o.string("primary"), "bond option primary");
        if (primary != null) {
            out.put("primary", primary);
        }
        putEnum(out, o, "primary_reselect");
        putNum(out, "resend_igmp", o.uintOrString("resend_igmp", Fields.U32));
        Boolean tlb = o.boolOrString("tlb_dynamic_lb");
        if (tlb != null) {
            out.put("tlb_dynamic_lb", tlb ? "1" : "0");
        }
        putNum(out, "updelay", o.uintOrString("updelay", Fields.U32));
        Boolean carrier = o.boolOrString("use_carrier");
        if (carrier != null) {
            out.put("use_carrier", carrier ? "1" : "0");
        }
        putEnum(out, o, "xmit_hash_policy");
        Boolean slb = o.boolOrString("balance-slb", "balance_slb");
        if (slb != null) {
            out.put("balance-slb", slb ? "1" : "0");
        }
        putNum(out, "arp_missed_max", o.uintOrString("arp_missed_max", Fields.U8));
        o.done();
        return out;
    }

    private static void putNum(Map<String, String> out, String key, Long v) {
        if (v != null) {
            out.put(key, v.toString());
        }
    }

    /** An enum option: its name, whether given as a name or as its number. */
    private static void putEnum(Map<String, String> out, Fields o, String key) throws NmstateException {
        List<String> variants = ENUM_OPTIONS.get(key);
        String v = o.numberAsStringVariant(key, variants);
        if (v != null) {
            int i = variants.indexOf(v);
            out.put(key, i % 2 == 0 ? variants.get(i + 1) : v);
        }
    }

    @Override
    List<String> ports() {
        if (!linkAggregationGiven) {
            return null;
        }
        if (port != null) {
            return port;
        }
        return portsConfig == null ? null : portsConfig.stream().map(PortConfig::name).toList();
    }

    void removePort(String p) {
        if (port != null) {
            port.remove(p);
        }
    }

    PortConfig portConfig(String p) {
        if (portsConfig != null) {
            for (PortConfig c : portsConfig) {
                if (c.name().equals(p)) {
                    return c;
                }
            }
        }
        return null;
    }

    @Override
    void sanitizeOwn(boolean desired) throws NmstateException {
        if (port != null) {
            port.sort(NmConnection.BYTEWISE);
        }
        if (portsConfig != null) {
            portsConfig.sort(Comparator.comparing(PortConfig::name, NmConnection.BYTEWISE));
        }
        if (options != null) {
            if ("".equals(options.get("arp_ip_target"))) {
                options.remove("arp_ip_target");
            }
            String system = options.get("ad_actor_system");
            if (system != null) {
                options.put("ad_actor_system", system.toUpperCase(Locale.ROOT));
            }
        }
        if (portsConfig != null) {
            Map<Long, String> seen = new HashMap<>();
            for (PortConfig c : portsConfig) {
                if (c.queueId() == null || c.queueId() == 0) {
                    continue;
                }
                String other = seen.putIfAbsent(c.queueId(), c.name());
                if (other != null) {
                    throw NmstateException.invalid("Port " + other + " and " + c.name() + " of Bond " + name
                            + " are sharing the same queue-id which is not supported by linux kernel yet");
                }
            }
        }
    }

    /** nmstate's checks of a bond to apply (post_inter_ifaces_process_bond); gc has no current state. */
    void validate(BondIface merged, boolean exists) throws NmstateException {
        if (up() && !exists && mode == null) {
            throw NmstateException.invalid("Bond mode is mandatory for new bond interface: " + name);
        }
        if ("active-backup".equals(mode) && options != null && "active".equals(options.get("fail_over_mac"))
                && mac != null) {
            throw NmstateException.invalid("MAC address cannot be specified in bond interface along with fail_over_mac"
                    + " active on active backup mode");
        }
        if (port != null && portsConfig != null) {
            List<String> a = new ArrayList<>(port);
            List<String> b = new ArrayList<>(portsConfig.stream().map(PortConfig::name).toList());
            a.sort(NmConnection.BYTEWISE);
            b.sort(NmConnection.BYTEWISE);
            int matching = 0;
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                if (a.get(i).equals(b.get(i))) {
                    matching++;
                }
            }
            if (matching != a.size() || matching != b.size()) {
                throw NmstateException.invalid("The port names specified in `port` conflict with the port names"
                        + " specified in `ports-config` for bond interface: " + name);
            }
        }
        if (options != null) {
            String system = options.get("ad_actor_system");
            if (system != null && system.toUpperCase(Locale.ROOT).startsWith("01:00:5E")) {
                throw NmstateException.invalid("The ad_actor_system bond option cannot be an IANA multicast"
                        + " address(prefix with 01:00:5E)");
            }
            String miimon = options.get("miimon");
            String arp = options.get("arp_interval");
            if (miimon != null && arp != null && !miimon.equals("0") && !arp.equals("0")) {
                throw NmstateException.invalid("Bond miimon and arp interval are not compatible options.");
            }
            if (merged.mode != null && "1".equals(options.get("balance-slb"))
                    && (!merged.mode.equals("balance-xor") || !"vlan+srcmac".equals(options.get("xmit_hash_policy")))) {
                throw NmstateException.invalid("To enable balance-slb, bond mode should be balance-xor and"
                        + " xmit_hash_policy: 'vlan+srcmac'");
            }
        }
    }

    @Override
    void writeOwn(NmConnection c, Profiles p, MergedIface mi) {
        c.section("bond");
        if (mode != null) {
            c.set("bond", "mode", mode);
        }
        if (options == null) {
            return;
        }
        for (Map.Entry<String, String> o : options.entrySet()) {
            String key = o.getKey();
            String value = o.getValue();
            if (key.equals("arp_interval") && value.equals("0")) {
                c.set("bond", "arp_ip_target", "");
            }
            if (key.equals("arp_missed_max") && value.equals("2")) {
                continue; // the kernel default: nmstate leaves it to NetworkManager 1.42- compatibility
            }
            c.set("bond", key, value);
        }
    }

    /** [bond-port] of a port: written only for non-default priority or queue-id. */
    void writePort(NmConnection c, String portName) {
        PortConfig pc = portName == null ? null : portConfig(portName);
        if (pc == null) {
            return;
        }
        boolean defaultPrio = pc.priority() == null || pc.priority() == 0;
        boolean defaultQid = pc.queueId() == null || pc.queueId() == 0;
        if (defaultPrio && defaultQid && !c.has("bond-port")) {
            return;
        }
        c.section("bond-port");
        if (pc.priority() != null && pc.priority() != 0) {
            c.set("bond-port", "prio", pc.priority());
        }
        if (pc.queueId() != null) {
            c.set("bond-port", "queue-id", pc.queueId());
        }
    }
}
