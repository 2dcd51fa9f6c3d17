package io.metal3.icc.nmstate;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One entry of {@code interfaces:}: the properties every type shares (nmstate's BaseInterface),
 * and the hooks each type's subclass fills (its own section, ports, parent, clean-up and keyfile
 * settings). Instances are read afresh from the YAML for each role nmstate gives an interface
 * (desired, merged, to apply), so each role can be changed on its own.
 */
abstract class Iface {

    enum State {
        UP("up"), DOWN("down"), ABSENT("absent"), UNKNOWN("unknown"), IGNORE("ignore");

        final String yaml;

        State(String yaml) {
            this.yaml = yaml;
        }

        static final List<String> NAMES = List.of("up", "down", "absent", "unknown", "ignore");
    }

    static final List<String> WAIT_IP = List.of("any", "ipv4", "ipv6", "ipv4+ipv6");

    /** The keys every type takes (BaseInterface's fields). */
    static final List<String> BASE_KEYS = List.of("name", "profile-name", "description", "type", "driver", "state",
            "identifier", "mac-address", "permanent-mac-address", "mtu", "min-mtu", "max-mtu", "wait-ip", "ipv4", "ipv6",
            "mptcp", "controller", "accept-all-mac-addresses", "copy-mac-from", "ovs-db", "802.1x", "lldp", "ethtool",
            "dispatch");

    final Map<String, Object> raw;
    String name;
    String profileName;
    String description;
    IfaceType type;
    State state = State.UP;
    boolean macIdentifier;
    String mac;
    String permanentMac;
    Long mtu;
    String waitIp;
    IpConfig ipv4;
    IpConfig ipv6;
    List<String> mptcpFlags;
    boolean mptcpGiven;
    String controller;
    Boolean acceptAllMac;
    String copyMacFrom;
    OvsDb.IfaceConfig ovsdb;
    Ieee8021x ieee8021x;
    Boolean lldp;
    Map<String, String> ethtool;
    boolean dispatch;
    IfaceType controllerType;
    int upPriority;
    List<Routes.Entry> routes;

    Iface(Map<String, Object> raw, IfaceType type) {
        this.raw = raw;
        this.type = type;
    }

    // ---- reading -------------------------------------------------------------------------------

    /**
     * Reads an interface as nmstate's Interface deserializer does: state first (a removed interface
     * keeps only name, type and state), then the type picks the struct; an unknown or missing type
     * gives an interface with a name and a state only.
     */
    static Iface parse(Map<String, Object> raw, Fields.Errors errors) throws NmstateException {
        Object rawState = raw.get("state");
        State state = State.UP;
        if (rawState != null) {
            state = State.valueOf(Fields.variant(rawState, State.NAMES, errors).toUpperCase(Locale.ROOT));
        }
        Map<String, Object> m = raw;
        if (state == State.ABSENT) {
            m = new LinkedHashMap<>();
            for (String k : List.of("name", "type", "state")) {
                if (raw.containsKey(k)) {
                    m.put(k, raw.get(k));
                }
            }
        }
        Object rawType = m.get("type");
        IfaceType type;
        if (rawType == null) {
            type = IfaceType.UNKNOWN;
        } else if (rawType instanceof String s) {
            type = IfaceType.of(s);
            if (type == null || type == IfaceType.TUN) {
                type = IfaceType.UNKNOWN; // nmstate: "Unsupported interface type", then read as unknown
            }
        } else {
            throw errors.error("data did not match any variant of untagged enum InterfaceType");
        }
        Iface iface = switch (type) {
            case ETHERNET, VETH -> new EthernetIface(m, type);
            case BOND -> new BondIface(m);
            case LINUX_BRIDGE -> new LinuxBridgeIface(m);
            case OVS_BRIDGE -> new OvsBridgeIface(m);
            case OVS_INTERFACE -> new OvsIface(m);
            case VLAN -> new VlanIface(m);
            case VXLAN -> new VxlanIface(m);
            case MAC_VLAN, MAC_VTAP -> new MacVlanIface(m, type);
            case VRF -> new VrfIface(m);
            case INFINIBAND -> new InfinibandIface(m);
            case LOOPBACK -> new LoopbackIface(m);
            case MACSEC -> new MacsecIface(m);
            case IPSEC -> new IpsecIface(m);
            case HSR -> new HsrIface(m);
            case IPVLAN -> new IpvlanIface(m);
            case DUMMY, XFRM -> new PlainIface(m, type);
            default -> new UnknownIface(m);
        };
        iface.read(errors);
        return iface;
    }

    /** The type's own keys, then the shared ones (the order serde reads a flattened struct in). */
    void read(Fields.Errors errors) throws NmstateException {
        Fields f = Fields.of(raw, "Interface", errors);
        readOwn(f);
        readBase(f);
        List<String> known = f.declared();
        for (String k : raw.keySet()) {
            if (!known.contains(k)) {
                throw errors.error("unknown field `" + k + "`");
            }
        }
    }

    /** Reads the type's own section(s), declaring each key. */
    abstract void readOwn(Fields f) throws NmstateException;

    void readBase(Fields f) throws NmstateException {
        Fields.Errors e = f.errors();
        boolean named = f.key("name") != null;
        Object n = raw.get("name");
        if (named && !(n instanceof String)) {
            throw e.error("invalid type: " + Yaml.describe(n) + ", expected a string");
        }
        name = named ? Text.name((String) n, "interface name") : null;
        profileName = Text.name(f.string("profile-name"), "interface " + name + " profile-name");
        description = Text.checked(f.string("description"), "interface " + name + " description", true);
        f.key("type");
        f.string("driver");
        f.key("state");
        String rawState = f.variant("state", State.NAMES);
        state = rawState == null ? State.UP : State.valueOf(rawState.toUpperCase(Locale.ROOT));
        macIdentifier = "mac-address".equals(f.variant("identifier", List.of("name", "mac-address")));
        mac = Text.checked(f.string("mac-address"), "interface " + name + " mac-address");
        permanentMac = f.string("permanent-mac-address");
        mtu = f.uintOrString("mtu", Fields.U64_ALL); // u64; nmstate writes it as a u32 (wrapping)
        f.uint("min-mtu", Long.MAX_VALUE, "u64");
        f.uint("max-mtu", Long.MAX_VALUE, "u64");
        waitIp = f.variant("wait-ip", WAIT_IP);
        Object v4 = f.raw("ipv4");
        ipv4 = v4 == null ? null : IpConfig.parse(v4, false, e);
        Object v6 = f.raw("ipv6");
        ipv6 = v6 == null ? null : IpConfig.parse(v6, true, e);
        Object mp = f.raw("mptcp");
        mptcpGiven = mp != null;
        mptcpFlags = mp == null ? null : Mptcp.parse(mp, e);
        controller = Text.checked(f.string("controller"), "interface " + name + " controller");
        acceptAllMac = f.boolOrString("accept-all-mac-addresses");
        copyMacFrom = f.string("copy-mac-from");
        Object odb = f.raw("ovs-db");
        ovsdb = odb == null ? null : OvsDb.IfaceConfig.parse(odb, e);
        Object dot1x = f.raw("802.1x");
        ieee8021x = dot1x == null ? null : Ieee8021x.parse(dot1x, e);
        Object l = f.raw("lldp");
        lldp = l == null ? null : Ethtool.lldp(l, e);
        Object et = f.raw("ethtool");
        ethtool = et == null ? null : Ethtool.keys(et, e);
        Object d = f.raw("dispatch");
        if (d != null) {
            Fields df = Fields.of(d, "DispatchConfig", e);
            df.string("post-activation");
            df.string("post-deactivation");
            dispatch = true;
        }
        if (!named) {
            throw e.error("missing field `name`"); // serde reports missing fields after the present ones
        }
    }

    // ---- properties ----------------------------------------------------------------------------

    boolean up() {
        return state == State.UP;
    }

    boolean down() {
        return state == State.DOWN;
    }

    boolean absent() {
        return state == State.ABSENT;
    }

    boolean ignore() {
        return state == State.IGNORE;
    }

    boolean userspace() {
        return type.userspace;
    }

    boolean isController() {
        return type.controller;
    }

    boolean hasController() {
        return controller != null && !controller.isEmpty();
    }

    /** Ports may hold IP only on OVS internal interfaces and under a VRF. */
    boolean canHaveIp() {
        return !hasController() || type == IfaceType.OVS_INTERFACE || controllerType == IfaceType.VRF;
    }

    boolean upPriorityValid() {
        return !hasController() || upPriority != 0;
    }

    boolean ipv4Enabled() {
        return ipv4 != null && ipv4.enabled;
    }

    boolean ipv6Enabled() {
        return ipv6 != null && ipv6.enabled;
    }

    /** Port names, or null when the interface holds no port list. */
    List<String> ports() {
        return null;
    }

    /** A removed controller has no ports. */
    final List<String> portsOrNone() {
        if (absent()) {
            return isController() ? List.of() : null;
        }
        return ports();
    }

    String parent() {
        return null;
    }

    /** An OVS internal interface cannot exist without its bridge. */
    boolean needsController() {
        return false;
    }

    /** Whether nmstate's desired state holds nothing but name, type and state. */
    boolean onlyNameTypeState() {
        for (String k : raw.keySet()) {
            if (!Set.of("name", "type", "state").contains(k)) {
                return false;
            }
        }
        return up();
    }

    // ---- clean-up --------------------------------------------------------------------------------

    /** nmstate's Interface::sanitize: the shared part, then the type's own. */
    void sanitize(boolean desired) throws NmstateException {
        if (mac != null) {
            mac = mac.toUpperCase(Locale.ROOT);
        }
        permanentMac = null;
        copyMacFrom = null;
        if (ipv4 != null) {
            ipv4.sanitize(desired);
        }
        if (ipv6 != null) {
            ipv6.sanitize(desired);
            if (ipv6.enabled && mtu != null && Long.compareUnsigned(mtu, 1280) < 0) {
                throw NmstateException.invalid("MTU should be >= 1280 when IPv6 is enabled on interface " + name
                        + ", but got mtu: " + Long.toUnsignedString(mtu));
            }
        }
        if (!canHaveIp()) {
            waitIp = null;
        }
        if (desired && userspace() && dispatch) {
            throw NmstateException.invalid("User space interface " + name + "/" + type
                    + " is not allow to hold dispatch configurations");
        }
        sanitizeOwn(desired);
    }

    void sanitizeOwn(boolean desired) throws NmstateException {
    }

    // ---- keyfile ---------------------------------------------------------------------------------

    /** The type's own settings (bond, bridge, vlan, ovs-*, vpn, …), after the shared ones. */
    void writeOwn(NmConnection c, Profiles p, MergedIface mi) throws NmstateException {
    }

    /** What uuid5 hashes and what [connection] type= holds. */
    String nmType() throws NmstateException {
        return type.nmType();
    }

    @Override
    public String toString() {
        return name + "(" + type + ")";
    }
}
