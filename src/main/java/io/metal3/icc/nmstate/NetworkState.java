package io.metal3.icc.nmstate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The NMState document, parsed and validated for the subset this converter supports. */
record NetworkState(List<Iface> interfaces, List<Route> routes, List<Rule> rules, DnsConfig dns) {

    static final Set<String> TOP = Set.of("description", "hostname", "dns-resolver", "route-rules", "routes",
            "interfaces", "ovs-db", "ovn");
    /** Interface keys nmstate knows that this converter does not: Unsupported, never ignored. */
    static final List<String> UNSUPPORTED_IFACE = List.of("controller", "ieee-802-1x", "mptcp",
            "ovs-db", "dispatch", "accept-all-mac-addresses", "macvlan", "vrf", "veth", "infiniband", "vxlan", "team",
            "ipsec", "hsr", "macsec", "ipvlan", "patch", "dpdk", "bond", "ovs-bridge", "bridge-port", "802.1x",
            "libreswan", "mac-vlan", "mac-vtap", "ip-vlan", "ovs-interface", "vf", "loopback", "xfrm");
    static final Set<String> IFACE = union(Set.of("name", "type", "state", "description", "profile-name", "mtu",
            "mac-address", "identifier", "copy-mac-from", "wait-ip", "ipv4", "ipv6", "link-aggregation", "vlan",
            "bridge", "ethernet", "min-mtu", "max-mtu", "permanent-mac-address", "lldp", "ethtool"), UNSUPPORTED_IFACE);

    private static Set<String> union(Set<String> a, List<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
    static final Set<String> IP = Set.of("enabled", "dhcp", "autoconf", "dhcp-client-id", "dhcp-duid", "address",
            "auto-dns", "auto-gateway", "auto-routes", "auto-route-table-id", "auto-route-metric", "addr-gen-mode",
            "allow-extra-address", "token", "dhcp-send-hostname", "dhcp-custom-hostname", "dhcp-timeout",
            "map-to-ipv6", "auto-route-table", "ra-timeout");

    record Addr(IpAddress ip, int prefix) {
        @Override
        public String toString() {
            return ip + "/" + prefix;
        }
    }

    record Ip(boolean specified, boolean enabled, boolean dhcp, boolean autoconf, List<Addr> addresses,
              Boolean autoDns, Boolean autoGateway, Boolean autoRoutes, Long autoRouteTable, Long autoRouteMetric,
              String dhcpClientId, String dhcpDuid, String addrGenMode) {
        static final Ip UNSPECIFIED = new Ip(false, false, false, false, List.of(), null, null, null, null, null,
                null, null, null);

        boolean dynamic() {
            return enabled && (dhcp || autoconf);
        }
    }

    record BridgePort(String name, Map<String, Object> options) {
    }

    record Iface(String name, String type, String state, String profileName, String description, Long mtu,
                 String mac, boolean macIdentifier, String copyMacFrom, String waitIp, Ip v4, Ip v6,
                 String bondMode, Map<String, Object> bondOptions, List<String> bondPorts,
                 String vlanBase, Long vlanId, Map<String, Object> bridgeOptions, List<BridgePort> bridgePorts,
                 Map<String, Object> ethernet, boolean bridgeGiven, Long sriovTotalVfs,
                 Map<String, BridgePort> bridgePortIndex, String lldp, Map<String, String> ethtool) {

        /** An interface with nothing but a name and a state (undefined ports, removed interfaces). */
        static Iface placeholder(String name, String state) {
            return new Iface(name, "ethernet", state, null, null, null, null, false, null, null, Ip.UNSPECIFIED,
                    Ip.UNSPECIFIED, null, Map.of(), List.of(), null, null, Map.of(), List.of(), Map.of(), false, null,
                    Map.of(), null, null);
        }

        boolean up() {
            return state.equals("up");
        }

        boolean controller() {
            return type.equals("bond") || type.equals("linux-bridge");
        }

        /** The bridge's entry for a port (the last one for a name wins), from an index: huge bridges stay linear. */
        BridgePort bridgePort(String port) {
            return bridgePortIndex.get(port);
        }
    }

    record Route(IpAddress destIp, int destPrefix, String destText, String nextHopIface, IpAddress nextHop,
                 long metric, long table, String routeType, String display) {
        boolean v6() {
            return destIp.v6();
        }

        boolean defaultRoute() {
            return destPrefix == 0;
        }
    }

    record Rule(String from, String to, Long priority, Long table, boolean v6) {
    }

    static NetworkState parse(Map<String, Object> doc) throws NmstateException {
        if (doc == null) {
            return new NetworkState(List.of(), List.of(), List.of(), DnsConfig.NONE);
        }
        Yaml.onlyKeys(doc, TOP, "document");
        for (String k : List.of("ovs-db", "ovn")) {
            if (doc.get(k) != null) {
                throw NmstateException.unsupported("`" + k + "`", null);
            }
        }
        Map<String, Iface> ifaces = new LinkedHashMap<>();
        for (Object o : Yaml.list(doc.get("interfaces"), "interfaces")) {
            Iface i = iface(Yaml.map(o, "interfaces"));
            ifaces.put(i.name(), i); // a later entry for the same name wins
        }
        List<Route> routes = new ArrayList<>();
        Map<String, Object> routeDoc = Yaml.map(doc.get("routes"), "routes");
        for (Object o : Yaml.list(routeDoc.get("config"), "routes.config")) {
            Route r = route(Yaml.map(o, "routes.config"));
            if (r != null) {
                routes.add(r);
            }
        }
        List<Rule> rules = new ArrayList<>();
        Map<String, Object> ruleDoc = Yaml.map(doc.get("route-rules"), "route-rules");
        for (Object o : Yaml.list(ruleDoc.get("config"), "route-rules.config")) {
            Rule r = rule(Yaml.map(o, "route-rules.config"));
            if (r != null) {
                rules.add(r);
            }
        }
        return new NetworkState(new ArrayList<>(ifaces.values()), routes, rules, DnsConfig.parse(doc.get("dns-resolver")));
    }

    private static Iface iface(Map<String, Object> m) throws NmstateException {
        Yaml.onlyKeys(m, IFACE, "interfaces");
        Object rawName = m.get("name");
        if (rawName == null) {
            throw NmstateException.invalid("Invalid YAML string: interfaces: missing field `name`");
        }
        if (!(rawName instanceof String name)) {
            throw NmstateException.invalid("Invalid YAML string: interfaces: invalid type: " + Yaml.describe(rawName)
                    + ", expected a string");
        }
        Text.name(name, "interface name");
        String where = "interface " + name;
        String earlyState = Yaml.string(m.get("state"), where + " state");
        if ("absent".equals(earlyState) || "ignore".equals(earlyState)) {
            // Removed or left alone: no profile is written, so its type and properties do not matter.
            return Iface.placeholder(name, earlyState);
        }
        String type = Yaml.string(m.get("type"), where + " type");
        if (type == null || type.equals("unknown")) {
            type = "ethernet"; // nmstate: "Setting unknown type interface ... to ethernet"
        }
        if (!Set.of("ethernet", "bond", "vlan", "linux-bridge").contains(type)) {
            if (Set.of("ovs-bridge", "ovs-interface", "team", "infiniband", "macvlan", "macvtap", "vrf", "veth",
                    "vxlan", "ipsec", "hsr", "macsec", "ipvlan", "loopback", "dummy", "xfrm", "mac-vlan",
                    "mac-vtap", "ip-vlan", "dispatch", "other").contains(type)) {
                throw NmstateException.unsupported("interface type `" + type + "`", name);
            }
            type = "ethernet";
        }
        String state = Yaml.string(m.get("state"), where + " state");
        state = state == null ? "up" : state;
        if (!Set.of("up", "down", "absent", "unknown", "ignore").contains(state)) {
            throw NmstateException.invalid("Invalid YAML string: interfaces: unknown variant `" + state
                    + "`, expected one of `up`, `down`, `absent`, `unknown`, `ignore`");
        }
        if (state.equals("unknown")) {
            state = "up";
        }
        for (String k : UNSUPPORTED_IFACE) {
            if (m.get(k) != null) {
                throw NmstateException.unsupported("property `" + k + "`", name);
            }
        }
        Long mtu = Yaml.uint(m.get("mtu"), where + " mtu", Yaml.U32);
        String mac = Text.checked(Yaml.string(m.get("mac-address"), where + " mac-address"), where + " mac-address");
        String identifier = Yaml.string(m.get("identifier"), where + " identifier");
        boolean macId = "mac-address".equals(identifier);
        if (identifier != null && !Set.of("name", "mac-address").contains(identifier)) {
            throw NmstateException.invalid("Invalid YAML string: interfaces: unknown variant `" + identifier
                    + "`, expected `name` or `mac-address`");
        }
        Ip v4 = ip(m.get("ipv4"), name, false);
        Ip v6 = ip(m.get("ipv6"), name, true);

        String bondMode = null;
        Map<String, Object> bondOptions = Map.of();
        List<String> bondPorts = List.of();
        Object la = m.get("link-aggregation");
        if (la != null) {
            if (!type.equals("bond")) {
                throw NmstateException.unsupported("link-aggregation on a " + type + " interface", name);
            }
            Map<String, Object> l = Yaml.map(la, where + " link-aggregation");
            Yaml.onlyKeys(l, Set.of("mode", "options", "port", "ports", "ports-config"), where + " link-aggregation");
            if (l.get("ports-config") != null) {
                throw NmstateException.unsupported("link-aggregation ports-config", name);
            }
            Object mode = l.get("mode");
            bondMode = mode == null ? null : bondMode(mode);
            bondOptions = new LinkedHashMap<>(Yaml.map(l.get("options"), where + " link-aggregation options"));
            for (Map.Entry<String, Object> o : bondOptions.entrySet()) {
                Text.checked(o.getKey(), where + " bond option name");
                if (o.getValue() instanceof String v) {
                    Text.checked(v, where + " bond option " + o.getKey());
                }
            }
            List<String> ports = new ArrayList<>();
            for (Object p : Yaml.list(l.get("port") != null ? l.get("port") : l.get("ports"), where + " ports")) {
                ports.add(Text.name(Yaml.string(p, where + " ports"), where + " port name"));
            }
            bondPorts = ports;
        }
        String vlanBase = null;
        Long vlanId = null;
        Object vl = m.get("vlan");
        if (vl != null) {
            Map<String, Object> v = Yaml.map(vl, where + " vlan");
            Yaml.onlyKeys(v, Set.of("base-iface", "id", "protocol", "registration-protocol", "reorder-headers",
                    "loose-binding"), where + " vlan");
            for (String k : List.of("protocol", "registration-protocol", "reorder-headers", "loose-binding")) {
                if (v.get(k) != null) {
                    throw NmstateException.unsupported("vlan " + k, name);
                }
            }
            vlanBase = Text.name(Yaml.string(v.get("base-iface"), where + " vlan base-iface"), where + " vlan base-iface");
            vlanId = Yaml.uint(v.get("id"), where + " vlan id", Yaml.U16);
        }
        if (type.equals("vlan") && state.equals("up") && vlanBase == null) {
            throw NmstateException.invalid("Missing 'vlan.base-iface' for interface '" + name + "'");
        }
        Map<String, Object> bridgeOptions = Map.of();
        List<BridgePort> bridgePorts = List.of();
        Object br = m.get("bridge");
        if (br != null) {
            if (!type.equals("linux-bridge")) {
                throw NmstateException.unsupported("bridge on a " + type + " interface", name);
            }
            Map<String, Object> b = Yaml.map(br, where + " bridge");
            Yaml.onlyKeys(b, Set.of("options", "port", "ports"), where + " bridge");
            bridgeOptions = Yaml.map(b.get("options"), where + " bridge options");
            List<BridgePort> ports = new ArrayList<>();
            for (Object p : Yaml.list(b.get("port") != null ? b.get("port") : b.get("ports"), where + " bridge ports")) {
                Map<String, Object> pm = new LinkedHashMap<>(Yaml.map(p, where + " bridge ports"));
                String pn = Text.name(Yaml.string(pm.remove("name"), where + " bridge port name"), where + " bridge port name");
                ports.add(new BridgePort(pn, pm));
            }
            bridgePorts = ports;
        }
        Map<String, Object> eth = Yaml.map(m.get("ethernet"), where + " ethernet");
        Yaml.onlyKeys(eth, Set.of("auto-negotiation", "speed", "duplex", "sr-iov"), where + " ethernet");
        Long totalVfs = null;
        if (eth.get("sr-iov") != null) {
            Map<String, Object> sriov = Yaml.map(eth.get("sr-iov"), where + " sr-iov");
            Yaml.onlyKeys(sriov, Set.of("total-vfs", "vfs", "drivers-autoprobe"), where + " sr-iov");
            if (sriov.get("vfs") != null || sriov.get("drivers-autoprobe") != null) {
                throw NmstateException.unsupported("ethernet sr-iov vfs/drivers-autoprobe", name);
            }
            totalVfs = Yaml.uint(sriov.get("total-vfs"), where + " sr-iov total-vfs", Yaml.U32);
        }
        if (mac != null) {
            mac = mac.toUpperCase(java.util.Locale.ROOT);
        }
        return new Iface(name, type, state,
                Text.name(Yaml.string(m.get("profile-name"), where + " profile-name"), where + " profile-name"),
                Text.checked(Yaml.string(m.get("description"), where + " description"), where + " description", true),
                mtu, mac, macId,
                Text.checked(Yaml.string(m.get("copy-mac-from"), where + " copy-mac-from"), where + " copy-mac-from"),
                Text.checked(Yaml.string(m.get("wait-ip"), where + " wait-ip"), where + " wait-ip"), v4, v6, bondMode,
                bondOptions, bondPorts,
                vlanBase, vlanId, bridgeOptions, bridgePorts, eth, br != null, totalVfs, index(bridgePorts),
                Ethtool.lldp(m.get("lldp"), name), Ethtool.keys(m.get("ethtool"), name));
    }

    private static Map<String, BridgePort> index(List<BridgePort> ports) {
        Map<String, BridgePort> byName = new java.util.HashMap<>();
        for (BridgePort p : ports) {
            byName.put(p.name(), p);
        }
        return byName;
    }

    private static String bondMode(Object mode) throws NmstateException {
        String s = String.valueOf(mode);
        return switch (s) {
            case "0", "balance-rr" -> "balance-rr";
            case "1", "active-backup" -> "active-backup";
            case "2", "balance-xor" -> "balance-xor";
            case "3", "broadcast" -> "broadcast";
            case "4", "802.3ad" -> "802.3ad";
            case "5", "balance-tlb" -> "balance-tlb";
            case "6", "balance-alb" -> "balance-alb";
            default -> throw NmstateException.invalid("Invalid YAML string: interfaces: unknown variant `" + s
                    + "`, expected one of `0`, `balance-rr`, `1`, `active-backup`, `2`, `balance-xor`, `3`,"
                    + " `broadcast`, `4`, `802.3ad`, `5`, `balance-tlb`, `6`, `balance-alb`, `unknown`");
        };
    }

    private static Ip ip(Object raw, String iface, boolean v6) throws NmstateException {
        if (raw == null) {
            return Ip.UNSPECIFIED;
        }
        String family = v6 ? "ipv6" : "ipv4";
        String where = "interfaces";
        Map<String, Object> m = Yaml.map(raw, where);
        Yaml.onlyKeys(m, IP, where);
        for (String k : List.of("token", "dhcp-custom-hostname", "dhcp-send-hostname", "dhcp-timeout", "map-to-ipv6",
                "auto-route-table", "ra-timeout", "allow-extra-address")) {
            if (m.get(k) != null) {
                throw NmstateException.unsupported(family + " " + k, iface);
            }
        }
        Boolean enabled = Yaml.bool(m.get("enabled"), where);
        List<Addr> addrs = new ArrayList<>();
        for (Object o : Yaml.list(m.get("address"), where)) {
            Map<String, Object> a = Yaml.map(o, where);
            String ipText = Yaml.string(a.get("ip"), where);
            IpAddress ip = IpAddress.parse(ipText);
            if (ip == null) {
                throw NmstateException.invalid("Invalid YAML string: interfaces: invalid IP address syntax");
            }
            Long prefix = Yaml.uint(a.get("prefix-length"), where, Yaml.U8);
            if (ip.v6() != v6) {
                throw NmstateException.invalid("Got " + (v6 ? "IPv4" : "IPv6") + " address " + ip + "/" + prefix
                        + " in " + family + " config section");
            }
            if (prefix == null || prefix > ip.maxPrefix()) {
                throw NmstateException.invalid("Invalid " + (v6 ? "IPv6" : "IPv4") + " network prefix length '"
                        + prefix + "', should be in the range of 0 to " + ip.maxPrefix());
            }
            addrs.add(new Addr(ip, prefix.intValue()));
        }
        boolean en = enabled != null ? enabled : !addrs.isEmpty();
        boolean dhcp = Boolean.TRUE.equals(Yaml.bool(m.get("dhcp"), where));
        boolean autoconf = v6 && Boolean.TRUE.equals(Yaml.bool(m.get("autoconf"), where));
        if (v6 && en && autoconf && !dhcp) {
            throw new NmstateException(NmstateException.NOT_IMPLEMENTED, "Autoconf without DHCP is not supported yet");
        }
        String agm = Yaml.string(m.get("addr-gen-mode"), where);
        if (agm != null && !Set.of("eui64", "stable-privacy").contains(agm)) {
            throw NmstateException.invalid("Invalid YAML string: interfaces: unknown variant `" + agm
                    + "`, expected `eui64` or `stable-privacy`");
        }
        return new Ip(true, en, dhcp, autoconf, addrs, Yaml.bool(m.get("auto-dns"), where),
                Yaml.bool(m.get("auto-gateway"), where), Yaml.bool(m.get("auto-routes"), where),
                Yaml.uint(m.get("auto-route-table-id"), where, Yaml.U32),
                Yaml.uint(m.get("auto-route-metric"), where, Yaml.U32),
                Yaml.string(m.get("dhcp-client-id"), where), Yaml.string(m.get("dhcp-duid"), where), agm);
    }

    private static Route route(Map<String, Object> m) throws NmstateException {
        Yaml.onlyKeys(m, Set.of("state", "destination", "next-hop-interface", "next-hop-address", "metric",
                "table-id", "route-type", "weight", "cwnd", "source", "initcwnd", "initrwnd", "mtu", "quickack",
                "advmss", "vrf-name"), "routes");
        if ("absent".equals(Yaml.string(m.get("state"), "routes state"))) {
            return null;
        }
        for (String k : List.of("weight", "cwnd", "source", "initcwnd", "initrwnd", "mtu", "quickack", "advmss", "vrf-name")) {
            if (m.get(k) != null) {
                throw NmstateException.unsupported("route property `" + k + "`", null);
            }
        }
        String dest = Yaml.string(m.get("destination"), "routes destination");
        if (dest == null) {
            throw NmstateException.invalid("Route destination is mandatory");
        }
        int slash = dest.indexOf('/');
        IpAddress ip = IpAddress.parse(slash < 0 ? dest : dest.substring(0, slash));
        if (ip == null) {
            throw NmstateException.invalid("Invalid IP address : invalid " + (dest.contains(":") ? "IPv6" : "IPv4")
                    + " address syntax");
        }
        int prefix;
        try {
            prefix = slash < 0 ? ip.maxPrefix() : Integer.parseInt(dest.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw NmstateException.invalid("Invalid route destination " + dest);
        }
        if (prefix < 0 || prefix > ip.maxPrefix()) {
            throw NmstateException.invalid("Invalid route destination " + dest);
        }
        String nhText = Yaml.string(m.get("next-hop-address"), "routes next-hop-address");
        IpAddress nh = nhText == null || nhText.isEmpty() ? null : IpAddress.parse(nhText);
        if (nhText != null && !nhText.isEmpty() && nh == null) {
            throw NmstateException.invalid("Invalid IP address : " + nhText);
        }
        // nmstate: an i64 where -1 means "the default" (written as 0); other values are cast to u32,
        // so a negative one would become a huge metric: refused.
        Object rawMetric = m.get("metric");
        boolean defaultMetric = rawMetric != null && ("-1".equals(rawMetric.toString().strip()));
        Long metric = defaultMetric ? null : Yaml.uint(rawMetric, "routes metric", Yaml.U32);
        Long table = Yaml.uint(m.get("table-id"), "routes table-id", Yaml.U32);
        String type = Yaml.string(m.get("route-type"), "routes route-type");
        if (type != null && !Set.of("blackhole", "prohibit", "unreachable").contains(type)) {
            throw NmstateException.invalid("Invalid route-type " + type);
        }
        String via = Text.checked(Yaml.string(m.get("next-hop-interface"), "routes next-hop-interface"),
                "route next-hop-interface");
        StringBuilder display = new StringBuilder("destination: " + ip + "/" + prefix);
        if (via != null) {
            display.append(" next-hop-interface: ").append(via);
        }
        if (nh != null) {
            display.append(" next-hop-address: ").append(nh);
        }
        if (metric != null || defaultMetric) {
            display.append(" metric: ").append(defaultMetric ? -1 : metric);
        }
        if (table != null) {
            display.append(" table-id: ").append(table);
        }
        return new Route(ip, prefix, ip + "/" + prefix, via, nh, metric == null ? 0 : metric,
                table == null || table == 0 ? 254 : table, type, display.toString());
    }

    /** An address or network (address/prefix-length) of a route rule, as written; null stays null. */
    private static String network(String text, String field) throws NmstateException {
        if (text == null) {
            return null;
        }
        int slash = text.indexOf('/');
        IpAddress ip = IpAddress.parse(slash < 0 ? text : text.substring(0, slash));
        boolean ok = ip != null && text.equals(text.strip());
        if (ok && slash >= 0) {
            String p = text.substring(slash + 1);
            ok = p.matches("[0-9]{1,3}") && Integer.parseInt(p) <= ip.maxPrefix();
        }
        if (!ok) {
            throw NmstateException.invalid("Invalid route rule " + field + " " + Text.quoted(text)
                    + ": expected an IP address or network (address/prefix-length)");
        }
        return text;
    }

    private static Rule rule(Map<String, Object> m) throws NmstateException {
        Yaml.onlyKeys(m, Set.of("ip-from", "ip-to", "priority", "route-table", "state", "fwmark", "fwmask",
                "family", "iif", "action", "suppress-prefix-length", "suppress_prefix_length"), "route-rules");
        if ("absent".equals(Yaml.string(m.get("state"), "route-rules state"))) {
            return null;
        }
        for (String k : List.of("fwmark", "fwmask", "family", "iif", "action", "suppress-prefix-length", "suppress_prefix_length")) {
            if (m.get(k) != null) {
                throw NmstateException.unsupported("route rule property `" + k + "`", null);
            }
        }
        String from = network(Yaml.string(m.get("ip-from"), "route-rules ip-from"), "ip-from");
        String to = network(Yaml.string(m.get("ip-to"), "route-rules ip-to"), "ip-to");
        if (from != null && to != null && from.contains(":") != to.contains(":")) {
            throw NmstateException.invalid("Route rule ip-from " + from + " and ip-to " + to + " are of different IP families");
        }
        String any = from != null ? from : to;
        if (any == null) {
            throw NmstateException.unsupported("route rule without ip-from or ip-to", null);
        }
        return new Rule(from, to, Yaml.uint(m.get("priority"), "route-rules priority", Yaml.U32),
                Yaml.uint(m.get("route-table"), "route-rules route-table", Yaml.U32), any.contains(":"));
    }
}
