package io.metal3.icc.nmstate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The NetworkManager profiles of every changed interface, in nmstate's order (activation priority,
 * then name): per interface its own profile ([connection], IP, [ethernet], OVS database, 802.1X,
 * description, ethtool, then its type's sections and its controller's port section) followed by
 * the profiles it brings (OVS ports, a veth peer). A profile for an interface set down does not
 * autoconnect.
 */
final class Profiles {

    private static final String INFINITE = "2147483647";

    private final MergedIfaces ifaces;
    private final List<NmConnection> out = new ArrayList<>();
    private List<NmConnection> extra;

    private Profiles(MergedIfaces ifaces) {
        this.ifaces = ifaces;
    }

    static List<NmConnection> build(MergedIfaces ifaces) throws NmstateException {
        Profiles p = new Profiles(ifaces);
        List<MergedIface> changed = new ArrayList<>();
        for (MergedIface i : ifaces.all()) {
            if (i.isChanged()) {
                changed.add(i);
            }
        }
        // nmstate sorts by name, then (stably) by activation priority; user-space first among equal names.
        changed.sort(Comparator.comparing((MergedIface i) -> i.forApply == null ? Long.MAX_VALUE : i.forApply.upPriority)
                .thenComparing(MergedIface::name, NmConnection.BYTEWISE)
                .thenComparing(i -> !i.merged.userspace()));
        for (MergedIface i : changed) {
            if (i.merged.type == IfaceType.UNKNOWN || i.merged.absent()) {
                continue;
            }
            List<NmConnection> conns = p.connections(i);
            for (NmConnection c : conns) {
                if (i.forApply.down()) {
                    c.set("connection", "autoconnect", false);
                }
                p.out.add(c);
            }
        }
        for (NmConnection c : p.out) {
            if (c.has("ipv4")) {
                c.set("ipv4", "dhcp-timeout", INFINITE);
            }
            if (c.has("ipv6")) {
                c.set("ipv6", "dhcp-timeout", INFINITE);
            }
        }
        return p.out;
    }

    /** nmstate's iface_to_nm_connections: the interface's profile first, then those it brings. */
    private List<NmConnection> connections(MergedIface mi) throws NmstateException {
        Iface iface = mi.forApply;
        extra = new ArrayList<>();
        if (mi.current != null) {
            // nmstate keeps the IP of an existing interface (gc's lo) that the desired state leaves out.
            if (iface.ipv4 == null && mi.current.ipv4 != null) {
                iface.ipv4 = mi.current.ipv4.copy();
            }
            if (iface.ipv6 == null && mi.current.ipv6 != null) {
                iface.ipv6 = mi.current.ipv6.copy();
            }
        }
        NmConnection c = new NmConnection();
        connectionSetting(iface, c, iface.nmType(), iface.name);
        ipSettings(iface, c);
        if (iface.type != IfaceType.INFINIBAND && iface.type != IfaceType.LOOPBACK) {
            wired(iface, c);
        }
        if (iface.type != IfaceType.OVS_BRIDGE && iface.controllerType != IfaceType.OVS_BRIDGE) {
            c.remove("ovs-external-ids");
            c.remove("ovs-other-config");
        } else if (iface.ovsdb != null) {
            iface.ovsdb.write(c);
        }
        if (iface.ieee8021x != null) {
            iface.ieee8021x.write(c);
        }
        if (iface.description != null) {
            c.section("user");
            if (!iface.description.isEmpty()) {
                c.set("user", "nmstate.interface.description", iface.description);
            }
        }
        if (iface.ethtool != null) {
            Ethtool.write(iface.ethtool, c);
        }
        iface.writeOwn(c, this, mi);
        String ctrlType = c.get("connection", "slave-type");
        if (!"bond".equals(ctrlType)) {
            c.remove("bond-port");
        }
        if (!"bridge".equals(ctrlType)) {
            c.remove("bridge-port");
        }
        if (!"ovs-port".equals(ctrlType)) {
            c.remove("ovs-interface");
        }
        if (iface.controller != null && iface.controllerType != null) {
            MergedIface ctrl = ifaces.get(iface.controller, iface.controllerType);
            if (ctrl != null) {
                String ifaceName = c.get("connection", "interface-name");
                if (ctrl.merged instanceof BondIface bond) {
                    bond.writePort(c, ifaceName);
                } else if (ctrl.merged instanceof LinuxBridgeIface bridge) {
                    bridge.writePort(c, ifaceName);
                } else if (ctrl.merged instanceof OvsBridgeIface bridge) {
                    String port = bridge.portOf(iface.name);
                    c.set("connection", "slave-type", "ovs-port");
                    c.set("connection", "master", port != null ? port : iface.name);
                }
            }
        }
        if ("".equals(iface.controller)) {
            c.remove("ovs-interface");
        }
        List<NmConnection> all = new ArrayList<>();
        all.add(c);
        all.addAll(extra);
        return all;
    }

    /** nmstate's gen_nm_conn_setting. */
    private static void connectionSetting(Iface iface, NmConnection c, String nmType, String name)
            throws NmstateException {
        String id;
        if (iface.profileName != null) {
            id = iface.profileName;
        } else {
            id = switch (iface.type) {
                case OVS_BRIDGE -> name + "-br";
                case OVS_PORT -> name + "-port";
                case OVS_INTERFACE -> name + "-if";
                default -> name;
            };
        }
        c.put("connection", "id", id);
        c.set("connection", "uuid", Uuids.v5(iface.type.yaml + "://" + name).toString());
        c.set("connection", "type", nmType);
        if (iface.type != IfaceType.IPSEC && !iface.macIdentifier) {
            c.set("connection", "interface-name", name);
        }
        c.set("connection", "autoconnect", true);
        c.set("connection", "autoconnect-slaves", iface.isController() ? 1 : -1);
        if (iface.controller != null && !iface.controller.isEmpty() && iface.controllerType != null) {
            String ctrlType = iface.controllerType.nmType();
            c.set("connection", "master", iface.controller);
            c.set("connection", "slave-type", ctrlType.equals("ovs-bridge") && iface.type != IfaceType.OVS_PORT
                    ? "ovs-port" : ctrlType);
        }
        if (iface.lldp != null) {
            c.set("connection", "lldp", iface.lldp ? 1 : 0);
        }
        if (iface.mptcpGiven) {
            c.set("connection", "mptcp-flags", Mptcp.nmFlags(iface.mptcpFlags));
        }
    }

    /** The ovs-port profile between an OVS bridge and a port's interface(s). */
    NmConnection ovsPortConnection(String port, String bridge) throws NmstateException {
        UnknownIface i = new UnknownIface(java.util.Map.of());
        i.name = port;
        i.type = IfaceType.OVS_PORT;
        i.controller = bridge;
        i.controllerType = IfaceType.OVS_BRIDGE;
        NmConnection c = new NmConnection();
        connectionSetting(i, c, "ovs-port", port);
        return c;
    }

    /** A profile an interface brings along (OVS ports), placed right after its own. */
    void add(NmConnection c) {
        extra.add(c);
    }

    /** A veth's peer gets a profile of its own when the state does not list it, so the pair comes up. */
    void vethPeer(String peer, String end) throws NmstateException {
        MergedIface listed = ifaces.kernel(peer);
        if (listed != null && listed.forApply != null) {
            return;
        }
        if (ifaces.ignored.contains(new MergedIfaces.Listed(peer, IfaceType.ETHERNET))) {
            return;
        }
        EthernetIface p = new EthernetIface(java.util.Map.of(), IfaceType.VETH);
        p.name = peer;
        p.ipv4 = new IpConfig(false);
        p.ipv6 = new IpConfig(true);
        NmConnection c = new NmConnection();
        connectionSetting(p, c, "veth", peer);
        ipSettings(p, c);
        c.put("veth", "peer", end);
        extra.add(c);
    }

    // ---- IP ----------------------------------------------------------------------------------------

    /** nmstate's gen_nm_ip_setting: ports (except under a VRF and OVS internal interfaces) get no IP sections. */
    private static void ipSettings(Iface iface, NmConnection c) throws NmstateException {
        if (!iface.canHaveIp()) {
            c.remove("ipv4");
            c.remove("ipv6");
            return;
        }
        ipv4(iface.ipv4, iface.routes, c);
        ipv6(iface.ipv6, iface.routes, c);
        if (iface.waitIp != null) {
            boolean v4Required = iface.waitIp.equals("ipv4") || iface.waitIp.equals("ipv4+ipv6");
            boolean v6Required = iface.waitIp.equals("ipv6") || iface.waitIp.equals("ipv4+ipv6");
            if (c.has("ipv4")) {
                c.set("ipv4", "may-fail", !v4Required);
            }
            if (c.has("ipv6")) {
                c.set("ipv6", "may-fail", !v6Required);
            }
        }
    }

    private static void ipv4(IpConfig ip, List<Routes.Entry> routes, NmConnection c) throws NmstateException {
        c.section("ipv4");
        if (ip == null) {
            c.set("ipv4", "method", "disabled");
            return;
        }
        String method;
        if (ip.enabled) {
            method = Boolean.TRUE.equals(ip.dhcp) ? "auto"
                    : hasStatic(ip) || Routes.any(routes, false) ? "manual" : "disabled";
        } else {
            method = "disabled";
        }
        c.set("ipv4", "method", method);
        addresses(ip, c, "ipv4");
        if (ip.auto()) {
            c.set("ipv4", "dhcp-timeout", INFINITE);
            c.set("ipv4", "route-metric", ip.autoRouteMetric);
            c.set("ipv4", "dhcp-client-id", ip.dhcpClientId == null || ip.dhcpClientId.equals("ll") ? "mac"
                    : ip.dhcpClientId.equals("iaid+duid") ? "duid" : ip.dhcpClientId);
            dhcpFlags(ip, c, "ipv4");
            if (Boolean.FALSE.equals(ip.dhcpSendHostname)) {
                c.set("ipv4", "dhcp-send-hostname", false);
            } else {
                c.set("ipv4", "dhcp-send-hostname", true);
                String h = ip.dhcpCustomHostname;
                if (h != null && !h.isEmpty()) {
                    c.set("ipv4", h.contains(".") ? "dhcp-fqdn" : "dhcp-hostname", h);
                }
            }
        }
        if (ip.enabled && routes != null) {
            Routes.write(c, "ipv4", routes, false);
        }
        if (ip.rules != null) {
            RouteRules.write(c, "ipv4", ip.rules, false);
        }
        dns(ip, c, "ipv4");
    }

    private static void ipv6(IpConfig ip, List<Routes.Entry> routes, NmConnection c) throws NmstateException {
        c.section("ipv6");
        if (ip == null) {
            c.set("ipv6", "method", "disabled");
            return;
        }
        String method;
        if (ip.enabled) {
            boolean dhcp = Boolean.TRUE.equals(ip.dhcp);
            boolean autoconf = Boolean.TRUE.equals(ip.autoconf);
            if (dhcp && autoconf) {
                method = "auto";
            } else if (dhcp) {
                method = "dhcp";
            } else if (autoconf) {
                throw new NmstateException(NmstateException.NOT_IMPLEMENTED, "Autoconf without DHCP is not supported yet");
            } else {
                method = hasStatic(ip) || Routes.any(routes, true) ? "manual" : "link-local";
            }
        } else {
            method = "disabled";
        }
        c.set("ipv6", "method", method);
        addresses(ip, c, "ipv6");
        c.set("ipv6", "addr-gen-mode", addrGenMode(ip.addrGenMode));
        if (ip.auto()) {
            c.set("ipv6", "dhcp-timeout", INFINITE);
            c.set("ipv6", "ra-timeout", INFINITE);
            c.set("ipv6", "dhcp-duid", ip.dhcpDuid == null ? "ll" : ip.dhcpDuid);
            c.set("ipv6", "dhcp-iaid", "mac");
            if (ip.token != null && !ip.token.isEmpty() && !ip.token.equals("::")) {
                c.set("ipv6", "token", ip.token);
            }
            c.set("ipv6", "route-metric", ip.autoRouteMetric);
            dhcpFlags(ip, c, "ipv6");
            if (Boolean.FALSE.equals(ip.dhcpSendHostname)) {
                c.set("ipv6", "dhcp-send-hostname", false);
            } else {
                c.set("ipv6", "dhcp-send-hostname", true);
                String h = ip.dhcpCustomHostname;
                if (h != null && !h.isEmpty()) {
                    c.set("ipv6", "dhcp-hostname", h);
                }
            }
        }
        if (ip.enabled && routes != null) {
            Routes.write(c, "ipv6", routes, true);
        }
        if (ip.rules != null) {
            RouteRules.write(c, "ipv6", ip.rules, true);
        }
        dns(ip, c, "ipv6");
    }

    private static boolean hasStatic(IpConfig ip) {
        return ip.addresses != null && ip.addresses.stream().anyMatch(a -> !a.auto());
    }

    private static void addresses(IpConfig ip, NmConnection c, String section) {
        if (ip.addresses == null) {
            return;
        }
        int n = 0;
        for (IpConfig.Addr a : ip.addresses) {
            if (!a.auto()) {
                c.set(section, "address" + n++, a.ip() + "/" + a.prefix());
            }
        }
    }

    private static void dhcpFlags(IpConfig ip, NmConnection c, String section) {
        if (ip.autoDns != null) {
            c.set(section, "ignore-auto-dns", !ip.autoDns);
        }
        if (ip.autoGateway != null) {
            c.set(section, "never-default", !ip.autoGateway);
        }
        if (ip.autoRoutes != null) {
            c.set(section, "ignore-auto-routes", !ip.autoRoutes);
        }
        c.set(section, "route-table", ip.autoTableId);
    }

    private static int addrGenMode(String mode) {
        if (mode == null || mode.equals("eui64")) {
            return 0;
        }
        if (mode.equals("stable-privacy")) {
            return 1;
        }
        try {
            return Integer.parseInt(mode.startsWith("+") ? mode.substring(1) : mode);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void dns(IpConfig ip, NmConnection c, String section) {
        if (ip.dns == null) {
            return;
        }
        c.set(section, "dns", String.join(";", ip.dns.servers()));
        c.set(section, "dns-search", String.join(";", ip.dns.search()));
        c.set(section, "dns-options", String.join(";", ip.dns.options()));
        c.set(section, "dns-priority", ip.dns.priority());
    }

    // ---- [ethernet] ---------------------------------------------------------------------------------

    /** nmstate's gen_nm_wired_setting: MAC (to set, or to match with identifier: mac-address), MTU, link, promiscuity. */
    private static void wired(Iface iface, NmConnection c) {
        if (iface.mac != null) {
            c.put("ethernet", iface.macIdentifier ? "mac-address" : "cloned-mac-address", iface.mac);
        }
        if (iface.mtu != null) {
            c.put("ethernet", "mtu", Long.toUnsignedString(iface.mtu & 0xffff_ffffL));
        }
        if (iface instanceof EthernetIface eth) {
            eth.writeLink(c);
        }
        if (iface.acceptAllMac != null) {
            c.put("ethernet", "accept-all-mac-addresses", iface.acceptAllMac ? 1 : 0);
        }
    }
}
