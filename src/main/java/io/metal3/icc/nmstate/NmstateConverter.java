package io.metal3.icc.nmstate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.metal3.icc.nmstate.NetworkState.Iface;
import io.metal3.icc.nmstate.NetworkState.Ip;
import io.metal3.icc.nmstate.NetworkState.Route;
import io.metal3.icc.nmstate.NetworkState.Rule;

/**
 * NMState YAML → NetworkManager keyfiles, in Java, for the configurations bare-metal hosts use
 * (ethernet, bond, VLAN, Linux bridge; static, DHCP, autoconf; routes, rules, DNS). The output equals
 * nmstate 2.2's {@code nmstatectl gc} (file names, sections, keys, values, UUIDs) on the golden cases.
 * Valid input outside that subset raises an {@code Unsupported} error naming the property.
 */
public final class NmstateConverter {

    private static final String INFINITE = "2147483647";

    private NmstateConverter() {
    }

    public static List<NetworkKeyfile> convert(byte[] yaml) throws NmstateException {
        NetworkState state = NetworkState.parse(Yaml.load(yaml));
        Map<String, Iface> ifaces = new LinkedHashMap<>();
        for (Iface i : state.interfaces()) {
            if (i.state().equals("up") || i.state().equals("down")) {
                ifaces.put(i.name(), i);
            }
        }
        Map<String, String[]> controllerOf = controllers(ifaces);
        Profiles profiles = new Profiles();
        for (Iface i : ifaces.values()) {
            profiles.add(i, controllerOf.get(i.name()), ifaces);
        }
        checkNextHops(state);
        placeRoutes(state.routes(), ifaces, controllerOf, profiles);
        placeRules(state.rules(), state.routes(), profiles);
        DnsPlacement.place(state.dns(), DnsPlacement.candidates(state.interfaces(), controllerOf), ifaces, profiles::get);

        List<Iface> order = new ArrayList<>(ifaces.values());
        order.sort(Comparator.comparing((Iface i) -> controllerOf.containsKey(i.name())).thenComparing(Iface::name));
        List<NetworkKeyfile> out = new ArrayList<>();
        for (Iface i : order) {
            String id = i.profileName() != null ? i.profileName() : i.name();
            out.add(new NetworkKeyfile(id + ".nmconnection", profiles.get(i.name()).render()));
        }
        if (profiles.loopback != null) {
            out.add(new NetworkKeyfile("lo.nmconnection", profiles.loopback.render()));
        }
        return out;
    }

    /** port name → {controller, "bond"|"bridge"}; ports named but not defined become plain ethernet. */
    private static Map<String, String[]> controllers(Map<String, Iface> ifaces) {
        Map<String, String[]> of = new HashMap<>();
        for (Iface c : List.copyOf(ifaces.values())) {
            List<String> ports = c.type().equals("bond") ? c.bondPorts()
                    : c.bridgePorts().stream().map(NetworkState.BridgePort::name).toList();
            for (String p : ports) {
                of.put(p, new String[] {c.name(), c.type().equals("bond") ? "bond" : "bridge"});
                ifaces.computeIfAbsent(p, n -> Iface.placeholder(n, "up"));
            }
        }
        return of;
    }

    /** Keyfiles by interface name, plus the loopback profile that carries blackhole-type routes. */
    private static final class Profiles {
        final Map<String, Keyfile> byName = new LinkedHashMap<>();
        Keyfile loopback;

        Keyfile get(String name) {
            return byName.get(name);
        }

        void add(Iface i, String[] controller, Map<String, Iface> all) throws NmstateException {
            Keyfile k = new Keyfile();
            String id = i.profileName() != null ? i.profileName() : i.name();
            k.put("connection", "autoconnect", i.up());
            k.put("connection", "autoconnect-slaves", i.controller() ? 1 : -1);
            k.put("connection", "id", id);
            if (!i.macIdentifier()) {
                k.put("connection", "interface-name", i.name());
            }
            if (controller != null) {
                k.put("connection", "master", controller[0]);
                k.put("connection", "slave-type", controller[1]);
            }
            k.put("connection", "lldp", i.lldp());
            k.put("connection", "type", nmType(i.type()));
            k.put("connection", "uuid", Uuids.v5(i.type() + "://" + i.name()));
            if (i.type().equals("bond")) {
                k.section("bond");
                if (i.bondMode() != null) {
                    k.put("bond", "mode", i.bondMode());
                }
                for (Map.Entry<String, Object> o : i.bondOptions().entrySet()) {
                    k.put("bond", o.getKey(), bondValue(o.getKey(), o.getValue(), i.name()));
                }
            }
            if (i.type().equals("linux-bridge")) {
                bridge(k, i);
            }
            if (controller != null && controller[1].equals("bridge")) {
                k.section("bridge-port");
                bridgePort(k, i.name(), all.get(controller[0]).bridgePort(i.name()));
            }
            if (controller == null) {
                ip(k, "ipv4", i.v4(), i);
                ip(k, "ipv6", i.v6(), i);
            }
            if (i.mtu() != null) {
                k.put("ethernet", "mtu", i.mtu());
            }
            if (i.mac() != null) {
                k.put("ethernet", i.macIdentifier() ? "mac-address" : "cloned-mac-address", i.mac());
            }
            if (i.copyMacFrom() != null) {
                Iface from = all.get(i.copyMacFrom());
                if (from == null || from.mac() == null) {
                    throw NmstateException.invalid("Failed to find mac address of interface " + i.copyMacFrom()
                            + " for copy-mac-from of iface " + i.name());
                }
                k.put("ethernet", "cloned-mac-address", from.mac());
            }
            k.put("sriov", "total-vfs", i.sriovTotalVfs());
            Map<String, Object> eth = i.ethernet();
            if (eth.containsKey("auto-negotiation")) {
                k.put("ethernet", "auto-negotiate", Yaml.bool(eth.get("auto-negotiation"), i.name()));
            }
            if (eth.containsKey("duplex")) {
                k.put("ethernet", "duplex", Yaml.string(eth.get("duplex"), i.name()));
            }
            if (eth.containsKey("speed")) {
                k.put("ethernet", "speed", Yaml.uint(eth.get("speed"), where(i) + " ethernet speed", Yaml.U32));
            }
            if (i.type().equals("vlan") && i.vlanBase() != null) {
                k.put("vlan", "flags", 1);
                k.put("vlan", "id", i.vlanId());
                k.put("vlan", "parent", i.vlanBase());
            }
            if (i.description() != null) {
                k.put("user", "nmstate.interface.description", i.description());
            }
            if (i.ethtool() != null) {
                k.section("ethtool"); // written even when empty, as nmstate does for `ethtool: {}`
                for (Map.Entry<String, String> e : i.ethtool().entrySet()) {
                    k.put("ethtool", e.getKey(), e.getValue());
                }
            }
            byName.put(i.name(), k);
        }
    }

    private static String where(Iface i) {
        return "interface " + i.name();
    }

    private static String nmType(String type) {
        return switch (type) {
            case "ethernet" -> "802-3-ethernet";
            case "linux-bridge" -> "bridge";
            default -> type;
        };
    }

    private static String bondValue(String key, Object v, String iface) throws NmstateException {
        if (v instanceof Boolean b) {
            return b ? "1" : "0";
        }
        if (v instanceof List || v instanceof Map) {
            throw NmstateException.unsupported("bond option `" + key + "` with a structured value", iface);
        }
        String s = String.valueOf(v);
        if (key.equals("all_slaves_active")) {
            return switch (s) {
                case "delivered", "1", "true" -> "1";
                case "dropped", "0", "false" -> "0";
                default -> s;
            };
        }
        return s;
    }

    private static void bridge(Keyfile k, Iface i) throws NmstateException {
        k.section("bridge");
        Map<String, Object> o = i.bridgeOptions();
        Yaml.onlyKeys(o, java.util.Set.of("stp", "mac-ageing-time", "group-forward-mask", "multicast-snooping",
                "group-addr", "hash-max", "vlan-protocol", "multicast-router"), "interface " + i.name() + " bridge options");
        for (String unsupported : List.of("group-addr", "hash-max", "vlan-protocol", "multicast-router")) {
            if (o.get(unsupported) != null) {
                throw NmstateException.unsupported("bridge option `" + unsupported + "`", i.name());
            }
        }
        Map<String, Object> stp = Yaml.map(o.get("stp"), "interface " + i.name() + " bridge stp");
        Yaml.onlyKeys(stp, java.util.Set.of("enabled", "forward-delay", "hello-time", "max-age", "priority"),
                "interface " + i.name() + " bridge stp");
        Boolean enabled = Yaml.bool(stp.get("enabled"), i.name());
        if (enabled != null) {
            k.put("bridge", "stp", enabled);
        }
        k.put("bridge", "forward-delay", Yaml.uint(stp.get("forward-delay"), where(i) + " stp forward-delay", Yaml.U8));
        k.put("bridge", "hello-time", Yaml.uint(stp.get("hello-time"), where(i) + " stp hello-time", Yaml.U8));
        k.put("bridge", "max-age", Yaml.uint(stp.get("max-age"), where(i) + " stp max-age", Yaml.U8));
        k.put("bridge", "priority", Yaml.uint(stp.get("priority"), where(i) + " stp priority", Yaml.U16));
        k.put("bridge", "ageing-time", Yaml.uint(o.get("mac-ageing-time"), where(i) + " mac-ageing-time", Yaml.U32));
        k.put("bridge", "group-forward-mask", Yaml.uint(o.get("group-forward-mask"), where(i) + " group-forward-mask", Yaml.U16));
        Boolean snooping = Yaml.bool(o.get("multicast-snooping"), i.name());
        k.put("bridge", "multicast-snooping", snooping);
        if (i.bridgeGiven()) {
            k.put("bridge", "vlan-filtering", false);
        }
    }

    /** Port settings are given in the bridge's port list (the last entry for a name wins). */
    private static void bridgePort(Keyfile k, String port, NetworkState.BridgePort p) throws NmstateException {
        if (p != null) {
            Map<String, Object> o = p.options();
            Yaml.onlyKeys(o, java.util.Set.of("stp-hairpin-mode", "stp-path-cost", "stp-priority", "vlan"),
                    "bridge port " + port);
            if (o.get("vlan") != null) {
                throw NmstateException.unsupported("bridge port vlan", port);
            }
            k.put("bridge-port", "hairpin-mode", Yaml.bool(o.get("stp-hairpin-mode"), port));
            k.put("bridge-port", "path-cost", Yaml.uint(o.get("stp-path-cost"), "bridge port " + port + " stp-path-cost", Yaml.U32));
            k.put("bridge-port", "priority", Yaml.uint(o.get("stp-priority"), "bridge port " + port + " stp-priority", Yaml.U16));
        }
    }

    private static void ip(Keyfile k, String s, Ip ip, Iface i) throws NmstateException {
        boolean v6 = s.equals("ipv6");
        k.put(s, "dhcp-timeout", INFINITE);
        if (v6 && ip.specified()) {
            k.put(s, "addr-gen-mode", "stable-privacy".equals(ip.addrGenMode()) ? 1 : 0);
        }
        if (!ip.enabled()) {
            k.put(s, "method", "disabled");
            return;
        }
        for (int n = 0; n < ip.addresses().size(); n++) {
            k.put(s, "address" + n, ip.addresses().get(n));
        }
        if (ip.dynamic()) {
            k.put(s, "method", v6 ? (ip.autoconf() ? "auto" : "dhcp") : "auto");
            if (v6) {
                k.put(s, "dhcp-duid", ip.dhcpDuid() == null ? "ll" : ip.dhcpDuid());
                k.put(s, "dhcp-iaid", "mac");
                if (ip.autoconf()) {
                    k.put(s, "ra-timeout", INFINITE);
                }
            } else {
                k.put(s, "dhcp-client-id", clientId(ip.dhcpClientId()));
            }
            k.put(s, "dhcp-send-hostname", true);
            k.put(s, "ignore-auto-dns", Boolean.FALSE.equals(ip.autoDns()));
            k.put(s, "ignore-auto-routes", Boolean.FALSE.equals(ip.autoRoutes()));
            k.put(s, "never-default", Boolean.FALSE.equals(ip.autoGateway()));
            k.put(s, "route-metric", ip.autoRouteMetric());
            k.put(s, "route-table", ip.autoRouteTable());
        } else if (!ip.addresses().isEmpty()) {
            k.put(s, "method", "manual");
        } else {
            k.put(s, "method", v6 ? "link-local" : "disabled");
        }
        if (i.waitIp() != null) {
            boolean required = switch (i.waitIp()) {
                case "ipv4" -> !v6;
                case "ipv6" -> v6;
                case "ipv4+ipv6" -> true;
                default -> false;
            };
            k.put(s, "may-fail", !required);
        }
    }

    private static String clientId(String configured) {
        if (configured == null || configured.equals("ll") || configured.equals("mac")) {
            return "mac";
        }
        if (configured.equals("iaid+duid")) {
            return "duid";
        }
        return configured;
    }

    private static void placeRoutes(List<Route> routes, Map<String, Iface> ifaces, Map<String, String[]> controllerOf,
                                    Profiles profiles) {
        Map<String, List<Route>> byIface = new LinkedHashMap<>();
        List<Route> loopback = new ArrayList<>();
        for (Route r : routes) {
            if (r.routeType() != null) {
                loopback.add(r);
            } else if (r.nextHopIface() != null && ifaces.containsKey(r.nextHopIface())) {
                byIface.computeIfAbsent(r.nextHopIface(), n -> new ArrayList<>()).add(r);
            }
        }
        for (Map.Entry<String, List<Route>> e : byIface.entrySet()) {
            writeRoutes(profiles.get(e.getKey()), e.getValue());
        }
        if (!loopback.isEmpty()) {
            Keyfile lo = new Keyfile();
            lo.put("connection", "autoconnect", true);
            lo.put("connection", "autoconnect-slaves", -1);
            lo.put("connection", "id", "lo");
            lo.put("connection", "interface-name", "lo");
            lo.put("connection", "type", "loopback");
            lo.put("connection", "uuid", Uuids.v5("loopback://lo"));
            lo.put("ipv4", "address0", "127.0.0.1/8");
            lo.put("ipv4", "method", "manual");
            lo.put("ipv4", "dhcp-timeout", INFINITE);
            lo.put("ipv6", "addr-gen-mode", 0);
            lo.put("ipv6", "address0", "::1/128");
            lo.put("ipv6", "method", "manual");
            lo.put("ipv6", "dhcp-timeout", INFINITE);
            writeRoutes(lo, loopback);
            profiles.loopback = lo;
        }
    }

    private static void writeRoutes(Keyfile k, List<Route> routes) {
        for (boolean v6 : new boolean[] {false, true}) {
            String s = v6 ? "ipv6" : "ipv4";
            List<Route> family = new ArrayList<>(routes.stream().filter(r -> r.v6() == v6).toList());
            family.sort(Comparator.comparingLong(Route::table));
            for (int n = 0; n < family.size(); n++) {
                Route r = family.get(n);
                k.put(s, "route" + n, r.destText() + "," + (r.nextHop() == null ? "" : r.nextHop()) + "," + r.metric());
                k.put(s, "route" + n + "_options", "table=" + r.table() + (r.routeType() == null ? "" : ",type=" + r.routeType()));
            }
        }
    }

    private static void placeRules(List<Rule> rules, List<Route> routes, Profiles profiles) {
        Map<String, Integer> counters = new HashMap<>();
        for (Rule rule : rules) {
            String iface = null;
            for (Route r : routes) {
                if (r.v6() == rule.v6() && rule.table() != null && r.table() == rule.table() && r.nextHopIface() != null
                        && profiles.get(r.nextHopIface()) != null) {
                    iface = r.nextHopIface();
                    break;
                }
            }
            if (iface == null) {
                continue;
            }
            String s = rule.v6() ? "ipv6" : "ipv4";
            int n = counters.merge(iface + s, 1, Integer::sum) - 1;
            StringBuilder v = new StringBuilder();
            if (rule.priority() != null) {
                v.append("priority ").append(rule.priority()).append(' ');
            }
            if (rule.from() != null) {
                v.append("from ").append(rule.from()).append(' ');
            }
            if (rule.to() != null) {
                v.append("to ").append(rule.to()).append(' ');
            }
            if (rule.table() != null) {
                v.append("table ").append(rule.table());
            }
            profiles.get(iface).put(s, "routing-rule" + n, v.toString().strip());
        }
    }

    /** nmstate refuses a route whose next-hop interface is removed or has the route's IP family disabled. */
    private static void checkNextHops(NetworkState state) throws NmstateException {
        Map<String, Iface> listed = new HashMap<>();
        for (Iface i : state.interfaces()) {
            listed.put(i.name(), i);
        }
        for (Route r : state.routes()) {
            Iface via = r.nextHopIface() == null ? null : listed.get(r.nextHopIface());
            if (via == null || via.state().equals("ignore")) {
                continue;
            }
            String problem = via.state().equals("absent") ? "absent"
                    : r.v6() && !via.v6().enabled() ? "IPv6 disabled"
                    : !r.v6() && !via.v4().enabled() ? "IPv4 disabled" : null;
            if (problem != null) {
                throw NmstateException.invalid("The next hop interface of desired Route '" + r.display()
                        + "' has been marked as " + problem);
            }
        }
    }
}
