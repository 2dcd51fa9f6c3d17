package io.metal3.icc.nmstate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code type: ovs-bridge}: bridge options ([ovs-bridge]: STP, RSTP, multicast snooping, fail mode,
 * datapath) and ports, each of which nmstate writes as an {@code ovs-port} profile of its own
 * (OVS bonds: mode, LACP, up/down delay, bond ports; VLAN access tag, trunks; OVS database
 * settings of the bond).
 */
final class OvsBridgeIface extends Iface {

    static final List<String> BOND_MODES = List.of("active-backup", "balance-slb", "balance-tcp", "lacp");

    static final class Port {
        String name;
        boolean bondGiven;
        String bondMode;
        List<String> bondPorts;
        Long downDelay;
        Long upDelay;
        OvsDb.IfaceConfig bondOvsDb;
        BridgeVlan vlan;
    }

    boolean bridgeGiven;
    boolean optionsGiven;
    Boolean stp;
    Boolean rstp;
    Boolean mcastSnooping;
    String failMode;
    String datapath;
    List<Port> ports;

    OvsBridgeIface(Map<String, Object> raw) {
        super(raw, IfaceType.OVS_BRIDGE);
    }

    @Override
    void readOwn(Fields f) throws NmstateException {
        Object br = f.raw("bridge");
        if (br == null) {
            return;
        }
        bridgeGiven = true;
        Fields.Errors e = f.errors();
        Fields b = Fields.of(br, "OvsBridgeConfig", e);
        b.bool("allow-extra-patch-ports");
        Object opts = b.raw("options");
        if (opts != null) {
            optionsGiven = true;
            readOptions(Fields.of(opts, "OvsBridgeOptions", e));
        }
        Object portList = b.raw("port", "ports");
        b.done();
        if (portList != null) {
            ports = new ArrayList<>();
            for (Object o : Fields.list(portList, e)) {
                ports.add(readPort(Fields.of(o, "OvsBridgePortConfig", e)));
            }
        }
    }

    private void readOptions(Fields o) throws NmstateException {
        Fields.Errors e = o.errors();
        String k = o.key("stp");
        if (k != null) {
            stp = stp(o.map().get(k), e);
        }
        rstp = o.boolOrString("rstp");
        mcastSnooping = o.boolOrString("mcast-snooping-enable");
        failMode = Text.checked(o.string("fail-mode"), "ovs-bridge fail-mode");
        datapath = Text.checked(o.string("datapath"), "ovs-bridge datapath");
        o.done();
    }

    /** nmstate's ovs_stp_deserializer, including its quirk: a false-like string enables STP. */
    private static Boolean stp(Object v, Fields.Errors e) throws NmstateException {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "1", "true", "yes", "on", "y", "0", "false", "no", "off", "n" -> true;
                default -> throw e.error("Need to be boolean: 1|0|true|false|yes|no|on|off|y|n");
            };
        }
        if (v instanceof Map<?, ?>) {
            LinuxBridgeIface.Options x = new LinuxBridgeIface.Options();
            LinuxBridgeIface.readStp(Fields.of(v, "LinuxBridgeStpOptions", e), x);
            return x.stpEnabled;
        }
        throw e.error("Need to be boolean or map like {enabled: true}");
    }

    private static Port readPort(Fields p) throws NmstateException {
        Fields.Errors e = p.errors();
        Port port = new Port();
        port.name = Text.name(p.requiredString("name"), "ovs-bridge port name");
        Object la = p.raw("link-aggregation");
        if (la != null) {
            port.bondGiven = true;
            Fields b = Fields.of(la, "OvsBridgeBondConfig", e);
            port.bondMode = b.variant("mode", BOND_MODES);
            Object bp = b.raw("port", "ports");
            if (bp != null) {
                port.bondPorts = new ArrayList<>();
                for (Object o : Fields.list(bp, e)) {
                    Fields n = Fields.of(o, "OvsBridgeBondPortConfig", e);
                    port.bondPorts.add(Text.name(n.requiredString("name"), "ovs bond port name"));
                    n.finish();
                }
            }
            port.downDelay = b.uintOrString("bond-downdelay", Fields.U32);
            port.upDelay = b.uintOrString("bond-updelay", Fields.U32);
            Object odb = b.raw("ovs-db");
            port.bondOvsDb = odb == null ? null : OvsDb.IfaceConfig.parse(odb, e);
            b.done();
        }
        Object vlan = p.raw("vlan");
        port.vlan = vlan == null ? null : BridgeVlan.parse(vlan, e);
        p.done();
        return port;
    }

    @Override
    List<String> ports() {
        if (ports == null) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (Port p : ports) {
            if (p.bondGiven) {
                if (p.bondPorts != null) {
                    names.addAll(p.bondPorts);
                }
            } else {
                names.add(p.name);
            }
        }
        return names;
    }

    void removePort(String p) {
        portOfIface = null;
        if (ports != null) {
            ports.removeIf(x -> x.name.equals(p));
        }
    }

    /** nmstate adds an internal interface named after a bridge given no ports. */
    void addSelfPort() {
        portOfIface = null;
        Port self = new Port();
        self.name = name;
        bridgeGiven = true;
        ports = new ArrayList<>(List.of(self));
    }

    private Map<String, String> portOfIface;

    /** The ovs-port an interface sits in: its bond's, or its own name (the first port that names it). */
    String portOf(String iface) {
        if (ports == null) {
            return null;
        }
        if (portOfIface == null) {
            portOfIface = new java.util.HashMap<>();
            for (Port p : ports) {
                if (p.bondGiven) {
                    if (p.bondPorts != null) {
                        for (String b : p.bondPorts) {
                            portOfIface.putIfAbsent(b, p.name);
                        }
                    }
                } else {
                    portOfIface.putIfAbsent(p.name, p.name);
                }
            }
        }
        return portOfIface.get(iface);
    }

    @Override
    void sanitizeOwn(boolean desired) throws NmstateException {
        if (mac != null && !mac.isEmpty() && desired) {
            throw NmstateException.invalid("OVS Bridge " + name + " can not hold MAC address, please set MAC address on"
                    + " OVS internal interface instead");
        }
        mtu = null;
        ipv4 = null;
        ipv6 = null;
        if (ports != null) {
            ports.sort(Comparator.comparing(p -> p.name, NmConnection.BYTEWISE));
            for (Port p : ports) {
                if (p.bondPorts != null) {
                    p.bondPorts.sort(NmConnection.BYTEWISE);
                }
            }
            for (Port p : ports) {
                if (p.vlan != null) {
                    p.vlan.validate(desired);
                }
            }
        }
    }

    @Override
    void writeOwn(NmConnection c, Profiles p, MergedIface mi) throws NmstateException {
        c.section("ovs-bridge");
        if (optionsGiven) {
            c.set("ovs-bridge", "stp-enable", stp);
            c.set("ovs-bridge", "rstp-enable", rstp);
            c.set("ovs-bridge", "mcast-snooping-enable", mcastSnooping);
            if (failMode != null && !failMode.isEmpty()) {
                c.set("ovs-bridge", "fail-mode", failMode);
            }
            if (datapath != null && !datapath.isEmpty()) {
                c.set("ovs-bridge", "datapath-type", datapath);
            }
        }
        if (ports != null) {
            for (Port port : ports) {
                p.add(portProfile(port, p));
            }
        }
    }

    /** The ovs-port profile between this bridge and a port's interface(s). */
    private NmConnection portProfile(Port port, Profiles p) throws NmstateException {
        NmConnection c = p.ovsPortConnection(port.name, name);
        c.section("ovs-port");
        if (port.bondGiven) {
            if (port.bondMode != null) {
                switch (port.bondMode) {
                    case "lacp" -> c.set("ovs-port", "lacp", "active");
                    case "balance-tcp" -> {
                        c.set("ovs-port", "lacp", "active");
                        c.set("ovs-port", "bond-mode", port.bondMode);
                    }
                    default -> {
                        c.set("ovs-port", "lacp", "off");
                        c.set("ovs-port", "bond-mode", port.bondMode);
                    }
                }
            }
            c.set("ovs-port", "bond-downdelay", port.downDelay);
            c.set("ovs-port", "bond-updelay", port.upDelay);
            if (port.bondOvsDb != null) {
                port.bondOvsDb.write(c);
            }
        }
        if (port.vlan != null) {
            c.set("ovs-port", "tag", port.vlan.tag);
            c.set("ovs-port", "vlan-mode", port.vlan.mode);
            if (port.vlan.trunkTags != null) {
                List<BridgeVlan.Tag> tags = new ArrayList<>(port.vlan.trunkTags);
                tags.sort(Comparator.comparingInt(BridgeVlan.Tag::min));
                List<String> out = new ArrayList<>();
                for (BridgeVlan.Tag t : tags) {
                    out.add(t.min() == t.max() ? String.valueOf(t.min()) : t.min() + "-" + t.max());
                }
                c.set("ovs-port", "trunks", String.join(",", out));
            }
        }
        return c;
    }
}
