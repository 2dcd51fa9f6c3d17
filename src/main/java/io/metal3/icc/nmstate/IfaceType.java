package io.metal3.icc.nmstate;

import java.util.List;

/**
 * nmstate's interface types: the name in YAML, whether it lives only in user space (OVS bridge,
 * IPsec: found by name and type, not name alone), whether it holds ports, and NetworkManager's
 * connection type (null where nmstate 2.2 has none: its gc refuses such an interface).
 */
enum IfaceType {
    BOND("bond", false, true, "bond"),
    LINUX_BRIDGE("linux-bridge", false, true, "bridge"),
    DUMMY("dummy", false, false, "dummy"),
    ETHERNET("ethernet", false, false, "802-3-ethernet"),
    HSR("hsr", false, false, "hsr"),
    LOOPBACK("loopback", false, false, "loopback"),
    MAC_VLAN("mac-vlan", false, false, "macvlan"),
    MAC_VTAP("mac-vtap", false, false, "macvlan"),
    OVS_BRIDGE("ovs-bridge", true, true, "ovs-bridge"),
    OVS_INTERFACE("ovs-interface", false, false, "ovs-interface"),
    VETH("veth", false, false, "veth"),
    VLAN("vlan", false, false, "vlan"),
    VRF("vrf", false, true, "vrf"),
    VXLAN("vxlan", false, false, "vxlan"),
    INFINIBAND("infiniband", false, false, "infiniband"),
    TUN("tun", false, false, null),
    MACSEC("macsec", false, false, "macsec"),
    IPSEC("ipsec", true, false, "vpn"),
    XFRM("xfrm", false, false, null),
    IPVLAN("ipvlan", false, false, "ipvlan"),
    UNKNOWN("unknown", false, false, null),
    /** The OVS port profiles nmstate writes between a bridge and its interfaces (not a YAML type). */
    OVS_PORT("ovs-port", true, false, "ovs-port");

    final String yaml;
    final boolean userspace;
    final boolean controller;
    final String nm;

    IfaceType(String yaml, boolean userspace, boolean controller, String nm) {
        this.yaml = yaml;
        this.userspace = userspace;
        this.controller = controller;
        this.nm = nm;
    }

    /** The variant names serde lists when a type is not a string (the Rust enum's order). */
    static final List<String> NAMES = List.of("bond", "linux-bridge", "dummy", "ethernet", "hsr", "loopback",
            "mac-vlan", "mac-vtap", "ovs-bridge", "ovs-interface", "veth", "vlan", "vrf", "vxlan", "infiniband", "tun",
            "macsec", "ipsec", "xfrm", "ipvlan", "unknown");

    /** null for a name nmstate does not know (it reads those as "other", then as unknown). */
    static IfaceType of(String yaml) {
        for (IfaceType t : values()) {
            if (t.yaml.equals(yaml) && t != OVS_PORT) {
                return t;
            }
        }
        return null;
    }

    /** nmstate's iface_type_to_nm: its error for types with no NetworkManager counterpart. */
    String nmType() throws NmstateException {
        if (nm == null) {
            throw new NmstateException(NmstateException.NOT_IMPLEMENTED, "Does not support iface type: "
                    + rustName() + " yet");
        }
        return nm;
    }

    /** The Rust variant name, as nmstate's debug output prints it. */
    String rustName() {
        return switch (this) {
            case LINUX_BRIDGE -> "LinuxBridge";
            case MAC_VLAN -> "MacVlan";
            case MAC_VTAP -> "MacVtap";
            case OVS_BRIDGE -> "OvsBridge";
            case OVS_INTERFACE -> "OvsInterface";
            case INFINIBAND -> "InfiniBand";
            case MACSEC -> "MacSec";
            case IPVLAN -> "IpVlan";
            default -> yaml.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + yaml.substring(1);
        };
    }

    @Override
    public String toString() {
        return yaml;
    }
}
