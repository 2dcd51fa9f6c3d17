package io.metal3.icc.nmstate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code type: linux-bridge}: bridge options (STP, multicast, VLAN protocol and default PVID,
 * group address and forward mask) and ports with their STP and VLAN-filtering settings, which
 * nmstate writes to each port's [bridge-port] section.
 */
final class LinuxBridgeIface extends Iface {

    static final class Port {
        String name;
        Boolean hairpin;
        Long pathCost;
        Long priority;
        BridgeVlan vlan;
    }

    boolean bridgeGiven;
    boolean optionsGiven;
    /** Options in the order nmstate applies them: name → value as written. */
    Options options;
    List<Port> ports;

    /** nmstate's LinuxBridgeOptions, read and kept as typed values. */
    static final class Options {
        String groupAddr;
        Long groupForwardMask;
        Long groupFwdMask;
        Long hashMax;
        Long macAgeingTime;
        Long multicastLastMemberCount;
        Long multicastLastMemberInterval;
        Long multicastMembershipInterval;
        Boolean multicastQuerier;
        Long multicastQuerierInterval;
        Long multicastQueryInterval;
        Long multicastQueryResponseInterval;
        Boolean multicastQueryUseIfaddr;
        String multicastRouter;
        Boolean multicastSnooping;
        Long multicastStartupQueryCount;
        Long multicastStartupQueryInterval;
        boolean stpGiven;
        Boolean stpEnabled;
        Long forwardDelay;
        Long helloTime;
        Long maxAge;
        Long stpPriority;
        String vlanProtocol;
        Long vlanDefaultPvid;
    }

    LinuxBridgeIface(Map<String, Object> raw) {
        super(raw, IfaceType.LINUX_BRIDGE);
    }

    @Override
    void readOwn(Fields f) throws NmstateException {
        Object br = f.raw("bridge");
        if (br == null) {
            return;
        }
        bridgeGiven = true;
        Fields.Errors e = f.errors();
        Fields b = Fields.of(br, "LinuxBridgeConfig", e);
        Object opts = b.raw("options");
        if (opts != null) {
            optionsGiven = true;
            options = readOptions(Fields.of(opts, "LinuxBridgeOptions", e));
        }
        Object portList = b.raw("port", "ports");
        b.done();
        if (portList != null) {
            ports = new ArrayList<>();
            for (Object o : Fields.list(portList, e)) {
                Fields p = Fields.of(o, "LinuxBridgePortConfig", e);
                Port port = new Port();
                port.name = Text.name(p.requiredString("name"), "bridge port name");
                port.hairpin = p.boolOrString("stp-hairpin-mode");
                port.pathCost = p.uintOrString("stp-path-cost", Fields.U32);
                port.priority = p.uintOrString("stp-priority", Fields.U16);
                Object vlan = p.raw("vlan");
                port.vlan = vlan == null ? null : BridgeVlan.parse(vlan, e);
                p.done();
                ports.add(port);
            }
        }
    }

    private static Options readOptions(Fields o) throws NmstateException {
        Fields.Errors e = o.errors();
        Options x = new Options();
        o.uint("gc-timer", -1L >>> 1, "u64");
        x.groupAddr = Text.checked(o.string("group-addr"), "bridge group-addr");
        x.groupForwardMask = o.uintOrString("group-forward-mask", Fields.U16);
        x.groupFwdMask = o.uintOrString("group-fwd-mask", Fields.U16);
        x.hashMax = o.uintOrString("hash-max", Fields.U32);
        o.uint("hello-timer", -1L >>> 1, "u64");
        x.macAgeingTime = o.uintOrString("mac-ageing-time", Fields.U32);
        x.multicastLastMemberCount = o.uintOrString("multicast-last-member-count", Fields.U32);
        x.multicastLastMemberInterval = o.uintOrString("multicast-last-member-interval", Fields.U64_ALL);
        x.multicastMembershipInterval = o.uintOrString("multicast-membership-interval", Fields.U64_ALL);
        x.multicastQuerier = o.boolOrString("multicast-querier");
        x.multicastQuerierInterval = o.uintOrString("multicast-querier-interval", Fields.U64_ALL);
        x.multicastQueryInterval = o.uintOrString("multicast-query-interval", Fields.U64_ALL);
        x.multicastQueryResponseInterval = o.uintOrString("multicast-query-response-interval", Fields.U64_ALL);
        x.multicastQueryUseIfaddr = o.boolOrString("multicast-query-use-ifaddr");
        Object router = o.raw("multicast-router");
        if (router != null) {
            x.multicastRouter = multicastRouter(router, e);
        }
        x.multicastSnooping = o.boolOrString("multicast-snooping");
        x.multicastStartupQueryCount = o.uintOrString("multicast-startup-query-count", Fields.U32);
        x.multicastStartupQueryInterval = o.uintOrString("multicast-startup-query-interval", Fields.U64_ALL);
        Object stp = o.raw("stp");
        if (stp != null) {
            x.stpGiven = true;
            Fields s = Fields.of(stp, "LinuxBridgeStpOptions", e);
            readStp(s, x);
        }
        x.vlanProtocol = o.variant("vlan-protocol", VlanIface.PROTOCOLS);
        x.vlanDefaultPvid = o.uint("vlan-default-pvid", Fields.U16, "u16");
        o.done();
        return x;
    }

    /** The STP options, shared with OVS bridges ({@code enabled} and the timers). */
    static void readStp(Fields s, Options x) throws NmstateException {
        x.stpEnabled = s.boolOrString("enabled");
        x.forwardDelay = s.uintOrString("forward-delay", Fields.U8);
        x.helloTime = s.uintOrString("hello-time", Fields.U8);
        x.maxAge = s.uintOrString("max-age", Fields.U8);
        x.stpPriority = s.uintOrString("priority", Fields.U16);
        s.done();
    }

    private static String multicastRouter(Object v, Fields.Errors e) throws NmstateException {
        if (v instanceof String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "auto" -> "auto";
                case "disabled" -> "disabled";
                case "enabled" -> "enabled";
                default -> throw e.error("Invalid linux bridge multicast_router type " + s
                        + ", expecting 0|1|2 or auto|disabled|enabled");
            };
        }
        if (v instanceof Long l && l >= 0) {
            return switch (l.intValue()) {
                case 0 -> "disabled";
                case 1 -> "auto";
                case 2 -> "enabled";
                default -> throw e.error("Invalid linux bridge multicast_router type " + l
                        + ", expecting 0|1|2 or auto|disabled|enabled");
            };
        }
        throw e.error("invalid type: " + Yaml.describe(v) + ", expected integer 0|1|2 or string auto|disabled|enabled");
    }

    @Override
    List<String> ports() {
        return ports == null ? null : ports.stream().map(p -> p.name).toList();
    }

    void removePort(String p) {
        byName = null;
        if (ports != null) {
            for (int i = 0; i < ports.size(); i++) {
                if (ports.get(i).name.equals(p)) {
                    ports.remove(i);
                    return;
                }
            }
        }
    }

    private Map<String, Port> byName;

    /** The first port entry of that name (indexed: bridges may have tens of thousands of ports). */
    Port port(String p) {
        if (ports == null) {
            return null;
        }
        if (byName == null || byName.size() > ports.size()) {
            byName = new java.util.HashMap<>();
            for (Port port : ports) {
                byName.putIfAbsent(port.name, port);
            }
        }
        return byName.get(p);
    }

    boolean vlanFilteringEnabled() {
        return ports != null && ports.stream().anyMatch(p -> p.vlan != null && !p.vlan.empty());
    }

    @Override
    void sanitizeOwn(boolean desired) throws NmstateException {
        if (options != null) {
            if (desired && options.vlanDefaultPvid != null && options.vlanDefaultPvid != 1 && !vlanFilteringEnabled()) {
                throw NmstateException.invalid("Linux bridge " + name + " has vlan-default-pvid different than 1 but VLAN"
                        + " filtering is not enabled.");
            }
            Long a = options.groupForwardMask;
            Long b = options.groupFwdMask;
            if (a != null && b != null && !a.equals(b)) {
                throw NmstateException.invalid("Linux bridge " + name + " has different group_forward_mask: " + a
                        + ", group_fwd_mask: " + b + ", these two property is the same, hence conflicting");
            }
            if (a != null || b != null) {
                options.groupFwdMask = a != null ? a : b;
                options.groupForwardMask = null;
            }
        }
        if (ports != null) {
            ports.sort(Comparator.comparing(p -> p.name, NmConnection.BYTEWISE));
        }
        if (desired && options != null && options.stpGiven) {
            validateStp(options);
        }
        if (options != null && options.groupAddr != null) {
            options.groupAddr = options.groupAddr.toUpperCase(Locale.ROOT);
        }
        if (ports != null) {
            for (Port p : ports) {
                if (p.vlan != null) {
                    p.vlan.flattenAndSort();
                }
            }
            for (Port p : ports) {
                if (p.vlan != null) {
                    p.vlan.validate(desired);
                }
            }
        }
    }

    static void validateStp(Options o) throws NmstateException {
        if (o.helloTime != null && (o.helloTime < 1 || o.helloTime > 10)) {
            throw NmstateException.invalid("Desired STP hello time " + o.helloTime + " is not in the range of [1,10]");
        }
        if (o.maxAge != null && (o.maxAge < 6 || o.maxAge > 40)) {
            throw NmstateException.invalid("Desired STP max age " + o.maxAge + " is not in the range of [6,40]");
        }
        if (o.forwardDelay != null && (o.forwardDelay < 2 || o.forwardDelay > 30)) {
            throw NmstateException.invalid("Desired STP forward delay " + o.forwardDelay
                    + " is not in the range of [2,30]");
        }
    }

    @Override
    void writeOwn(NmConnection c, Profiles p, MergedIface mi) {
        c.section("bridge");
        if (!bridgeGiven) {
            return;
        }
        if (options != null) {
            writeOptions(c, options);
        }
        if (ports != null) {
            c.set("bridge", "vlan-filtering", ((LinuxBridgeIface) mi.merged).vlanFilteringEnabled());
        }
    }

    private static void writeOptions(NmConnection c, Options o) {
        if (o.groupAddr != null) {
            c.set("bridge", "group-address", macBytes(o.groupAddr));
        }
        Long mask = o.groupFwdMask != null ? o.groupFwdMask : o.groupForwardMask;
        c.set("bridge", "group-forward-mask", mask);
        c.set("bridge", "multicast-hash-max", o.hashMax);
        c.set("bridge", "ageing-time", o.macAgeingTime);
        c.set("bridge", "multicast-last-member-count", o.multicastLastMemberCount);
        c.set("bridge", "multicast-last-member-interval", unsigned(o.multicastLastMemberInterval));
        c.set("bridge", "multicast-membership-interval", unsigned(o.multicastMembershipInterval));
        c.set("bridge", "multicast-querier", o.multicastQuerier);
        c.set("bridge", "multicast-querier-interval", unsigned(o.multicastQuerierInterval));
        c.set("bridge", "multicast-query-interval", unsigned(o.multicastQueryInterval));
        c.set("bridge", "multicast-query-response-interval", unsigned(o.multicastQueryResponseInterval));
        c.set("bridge", "multicast-query-use-ifaddr", o.multicastQueryUseIfaddr);
        c.set("bridge", "multicast-router", o.multicastRouter);
        c.set("bridge", "multicast-snooping", o.multicastSnooping);
        c.set("bridge", "multicast-startup-query-count", o.multicastStartupQueryCount);
        c.set("bridge", "multicast-startup-query-interval", unsigned(o.multicastStartupQueryInterval));
        if (o.vlanProtocol != null) {
            c.set("bridge", "vlan-protocol", o.vlanProtocol.equals("802.1ad") ? "802.1ad" : "802.1Q");
        }
        c.set("bridge", "vlan-default-pvid", o.vlanDefaultPvid);
        if (o.stpGiven) {
            if (o.stpEnabled != null) {
                c.set("bridge", "stp", o.stpEnabled);
            }
            c.set("bridge", "forward-delay", o.forwardDelay);
            c.set("bridge", "hello-time", o.helloTime);
            c.set("bridge", "max-age", o.maxAge);
            c.set("bridge", "priority", o.stpPriority);
        }
    }

    private static String unsigned(Long v) {
        return v == null ? null : Long.toUnsignedString(v);
    }

    /**
     * nmstate hands NetworkManager the group address as bytes, and its keyfile writer prints a
     * byte array as numbers joined with ';' (a MAC that does not parse gives no bytes).
     */
    static String macBytes(String mac) {
        List<String> out = new ArrayList<>();
        for (String part : mac.split(":", -1)) {
            String digits = part.startsWith("+") ? part.substring(1) : part;
            if (digits.isEmpty() || digits.chars().anyMatch(ch -> Character.digit(ch, 16) < 0 || ch > 0x7f)) {
                return "";
            }
            java.math.BigInteger v = new java.math.BigInteger(digits, 16);
            if (v.bitLength() > 8) {
                return "";
            }
            out.add(v.toString());
        }
        return String.join(";", out);
    }

    /** [bridge-port] of a port, from the bridge as merged. */
    void writePort(NmConnection c, String portName) {
        Port port = portName == null ? null : port(portName);
        if (port == null) {
            return;
        }
        c.section("bridge-port");
        if (port.hairpin != null) {
            c.set("bridge-port", "hairpin-mode", port.hairpin);
        }
        c.set("bridge-port", "path-cost", port.pathCost);
        c.set("bridge-port", "priority", port.priority);
        if (port.vlan != null) {
            c.set("bridge-port", "vlans", port.vlan.nmBridgeVlans());
        }
    }
}
