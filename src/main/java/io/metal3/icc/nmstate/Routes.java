package io.metal3.icc.nmstate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code routes.config}: read, checked and cleaned as nmstate does (network addresses normalised,
 * weights and cwnd checked), sorted and de-duplicated, then grouped by next-hop interface (routes of
 * a type such as blackhole go to {@code lo}), and written as routeN / routeN_options keys.
 */
final class Routes {

    static final List<String> TYPES = List.of("blackhole", "unreachable", "prohibit");

    static final class Entry {
        boolean absent;
        String destination;
        String nextHopIface;
        String nextHopAddr;
        Long metric;
        Long tableId;
        Long weight;
        String routeType;
        Long cwnd;
        String source;

        boolean v6() {
            return destination != null && destination.contains(":");
        }

        boolean unicast() {
            return routeType == null;
        }

        /** nmstate's sort and de-duplication key (the metric is not part of it). */
        List<Comparable<?>> key() {
            return List.of(!absent, !v6(), tableId == null ? 254L : tableId, nextHopIface == null ? "lo" : nextHopIface,
                    destination == null ? "" : destination, nextHopAddr == null ? "" : nextHopAddr,
                    source == null ? "" : source, weight == null ? 0L : weight, cwnd == null ? 0L : cwnd);
        }

        /** nmstate's Display of a route, used in its messages. */
        @Override
        public String toString() {
            List<String> p = new ArrayList<>();
            if (absent) {
                p.add("state: absent");
            }
            Text.field(p, "destination", destination);
            Text.field(p, "next-hop-interface", nextHopIface);
            Text.field(p, "next-hop-address", nextHopAddr);
            Text.field(p, "source", source);
            Text.field(p, "metric", metric);
            Text.field(p, "table-id", tableId);
            Text.field(p, "weight", weight);
            Text.field(p, "cwnd", cwnd);
            return String.join(" ", p);
        }

        /** Rust's Debug rendering, which nmstate prints in two of its messages. */
        String debug() {
            return "RouteEntry { state: " + (absent ? "Some(Absent)" : "None") + ", destination: " + opt(destination)
                    + ", next_hop_iface: " + opt(nextHopIface) + ", next_hop_addr: " + opt(nextHopAddr) + ", metric: "
                    + num(metric) + ", table_id: " + num(tableId) + ", weight: " + num(weight) + ", route_type: "
                    + (routeType == null ? "None" : "Some(" + Character.toUpperCase(routeType.charAt(0))
                    + routeType.substring(1) + ")") + ", cwnd: " + num(cwnd) + ", source: " + opt(source) + " }";
        }

        private static String opt(String s) {
            return s == null ? "None" : "Some(" + Fields.json(s) + ")";
        }

        private static String num(Long v) {
            return v == null ? "None" : "Some(" + v + ")";
        }
    }

    private static final Comparator<Entry> ORDER = (a, b) -> {
        List<Comparable<?>> x = a.key();
        List<Comparable<?>> y = b.key();
        for (int i = 0; i < x.size(); i++) {
            int c = compare(x.get(i), y.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    };

    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compare(Comparable a, Comparable b) {
        if (a instanceof String s && b instanceof String t) {
            return NmConnection.BYTEWISE.compare(s, t);
        }
        return a.compareTo(b);
    }

    /** Reads {@code routes:} ({@code running} is read and ignored). */
    static List<Entry> parse(Object raw) throws NmstateException {
        Fields f = Fields.of(raw, "Routes", Fields.Errors.typed("routes"));
        Object running = f.raw("running");
        Object config = f.raw("config");
        f.done();
        if (running != null) {
            entries(running, "routes.running");
        }
        return config == null ? List.of() : entries(config, "routes.config");
    }

    private static List<Entry> entries(Object raw, String path) throws NmstateException {
        List<Entry> out = new ArrayList<>();
        List<?> list = Fields.list(raw, Fields.Errors.typed(path));
        for (int i = 0; i < list.size(); i++) {
            Fields.Errors e = Fields.Errors.typed(path + "[" + i + "]");
            Fields f = Fields.of(list.get(i), "RouteEntry", e);
            Entry r = new Entry();
            r.absent = f.variant("state", List.of("absent")) != null;
            r.destination = Text.checked(f.string("destination"), "route destination");
            r.nextHopIface = Text.checked(f.string("next-hop-interface"), "route next-hop-interface");
            r.nextHopAddr = Text.checked(f.string("next-hop-address"), "route next-hop-address");
            r.metric = f.intOrString("metric", Long.MIN_VALUE, Long.MAX_VALUE);
            r.tableId = f.uintOrString("table-id", Fields.U32);
            r.weight = f.uintOrString("weight", Fields.U16);
            r.routeType = f.variant("route-type", TYPES);
            r.cwnd = f.uint("cwnd", Fields.U32, "u32");
            r.source = Text.checked(f.string("source"), "route source");
            f.done();
            out.add(r);
        }
        return out;
    }

    /** nmstate's Routes::validate, on the routes as written. */
    static void validate(List<Entry> routes) throws NmstateException {
        for (Entry r : routes) {
            if (!r.absent) {
                if (!r.unicast() && (r.nextHopIface != null && !r.nextHopIface.equals("lo") || r.nextHopAddr != null)) {
                    String t = Character.toUpperCase(r.routeType.charAt(0)) + r.routeType.substring(1);
                    throw NmstateException.invalid("A " + t + " Route cannot have a next hop : " + r.debug());
                } else if (r.nextHopIface == null && r.unicast()) {
                    throw new NmstateException(NmstateException.NOT_IMPLEMENTED,
                            "Route with empty next hop interface is not supported: " + r.debug());
                }
            }
            validateDestination(r);
        }
    }

    private static void validateDestination(Entry r) throws NmstateException {
        String dst = r.destination;
        if (dst == null || dst.contains(":")) {
            return;
        }
        String[] parts = dst.split("/", -1);
        IpAddress ip = IpAddress.parseV4(parts[0]);
        if (ip == null) {
            throw NmstateException.invalid("Invalid IP address : invalid IPv4 address syntax");
        }
        if (ip.bytes()[0] != 0) {
            return;
        }
        String message = "0.0.0.0/8 and its subnet cannot be used as the route destination for unicast route, please"
                + " use the default gateway 0.0.0.0/0 instead";
        if (dst.contains("/")) {
            Integer prefix = rustInt(parts[1]);
            if (prefix == null) {
                throw NmstateException.invalid("The prefix of the route destination network '" + dst + "' is invalid");
            }
            if (prefix >= 8 && r.unicast()) {
                throw NmstateException.invalid(message);
            }
        } else if (r.unicast()) {
            throw NmstateException.invalid(message);
        }
    }

    /** Rust's str::parse::<i32>, or null. */
    private static Integer rustInt(String s) {
        if (!s.matches("[+-]?[0-9]+")) {
            return null;
        }
        try {
            return Integer.parseInt(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** nmstate's RouteEntry::sanitize. */
    static void sanitize(Entry r) throws NmstateException {
        if (r.destination != null) {
            r.destination = r.destination.isEmpty() ? null : network(r.destination);
        }
        if (r.nextHopAddr != null) {
            IpAddress via = IpAddress.parse(r.nextHopAddr);
            if (via == null) {
                throw NmstateException.invalid("Invalid IP address : invalid IP address syntax");
            }
            r.nextHopAddr = via.toString();
        }
        if (r.source != null) {
            IpAddress src = IpAddress.parse(r.source);
            if (src == null) {
                throw NmstateException.invalid("Failed to parse IP address '" + r.source + "': invalid IP address syntax");
            }
            r.source = src.toString();
        }
        if (r.weight != null) {
            if (r.weight < 1 || r.weight > 256) {
                throw NmstateException.invalid("Invalid ECMP route weight " + r.weight
                        + ", should be in the range of 1 to 256");
            }
            if (r.destination != null && r.destination.contains(":")) {
                throw new NmstateException(NmstateException.NOT_SUPPORTED, "IPv6 ECMP route with weight is not supported"
                        + " yet");
            }
        }
        if (r.cwnd != null && r.cwnd == 0) {
            throw NmstateException.invalid("The value of 'cwnd' cannot be 0");
        }
    }

    /** nmstate's sanitize_ip_network: "ip/prefix" with host bits cleared ("ip" alone gets the full prefix). */
    static String network(String net) throws NmstateException {
        String[] parts = net.split("/", -1);
        if (parts.length == 1) {
            IpAddress ip = IpAddress.parse(parts[0]);
            if (ip == null) {
                throw NmstateException.invalid("Invalid IP network '" + net + "': invalid IP address syntax");
            }
            return ip + "/" + ip.maxPrefix();
        }
        if (parts.length == 2) {
            String p = parts[1];
            String digits = p.startsWith("+") ? p.substring(1) : p;
            if (p.isEmpty()) {
                throw NmstateException.invalid("Invalid IP network prefix length '' in '" + net
                        + "': cannot parse integer from empty string");
            }
            if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw NmstateException.invalid("Invalid IP network prefix length '" + p + "' in '" + net
                        + "': invalid digit found in string");
            }
            if (digits.length() > 19) {
                throw NmstateException.invalid("Invalid IP network prefix length '" + p + "' in '" + net
                        + "': number too large to fit in target type");
            }
            long prefix = Long.parseLong(digits);
            IpAddress ip = IpAddress.parse(parts[0]);
            if (ip == null) {
                throw NmstateException.invalid("Invalid IP address : invalid IP address syntax");
            }
            if (prefix > ip.maxPrefix()) {
                throw NmstateException.invalid("Invalid " + (ip.v6() ? "IPv6" : "IPv4") + " network prefix length '" + p
                        + "' in '" + net + "', should be smaller than " + ip.maxPrefix() + "'");
            }
            return ip.network((int) prefix) + "/" + prefix;
        }
        throw NmstateException.invalid("Invalid IP network string: '" + net + "', expecting 'ip/prefix' or 'ip' format,"
                + " for example: 192.0.2.0/24 or 2001:db8:1::/64 or 192.0.2.1");
    }

    /** nmstate's MergedRoutes for gc: routes by interface, and the interfaces whose routes change. */
    record Merged(Map<String, List<Entry>> byIface, Set<String> changedIfaces) {
    }

    static Merged merge(List<Entry> desired, MergedIfaces ifaces) throws NmstateException {
        validate(desired);
        List<Entry> routes = new ArrayList<>();
        for (Entry r : desired) {
            sanitize(r);
            routes.add(r);
        }
        Set<String> changed = new LinkedHashSet<>();
        for (Entry r : routes) {
            if (r.absent) {
                continue;
            }
            if (r.nextHopIface != null) {
                MergedIface via = ifaces.kernel(r.nextHopIface);
                if (via != null) {
                    String problem = via.merged.absent() ? "absent"
                            : r.v6() && !via.merged.ipv6Enabled() ? "IPv6 disabled"
                            : !r.v6() && !via.merged.ipv4Enabled() ? "IPv4 disabled" : null;
                    if (problem != null) {
                        throw NmstateException.invalid("The next hop interface of desired Route '" + r
                                + "' has been marked as " + problem);
                    }
                }
                changed.add(r.nextHopIface);
            } else if (r.routeType != null) {
                changed.add("lo");
            }
        }
        Set<String> ignored = ifaces.ignoredKernel();
        changed.removeAll(ignored);
        List<Entry> kept = new ArrayList<>(routes.stream().filter(r -> !r.absent).toList());
        kept.sort(ORDER);
        Map<String, List<Entry>> byIface = new LinkedHashMap<>();
        Entry previous = null;
        for (Entry r : kept) {
            if (previous != null && ORDER.compare(previous, r) == 0) {
                continue; // same route but for its metric: the first one stays
            }
            previous = r;
            String iface = r.nextHopIface != null ? r.nextHopIface : r.routeType != null ? "lo" : null;
            if (iface != null && !ignored.contains(iface)) {
                byIface.computeIfAbsent(iface, k -> new ArrayList<>()).add(r);
            }
        }
        return new Merged(byIface, changed);
    }

    /** routeN and routeN_options of one family, in the merged order. */
    static void write(NmConnection c, String section, List<Entry> routes, boolean v6) {
        int n = 0;
        for (Entry r : routes) {
            if (r.destination != null && r.v6() != v6) {
                continue;
            }
            StringBuilder line = new StringBuilder();
            if (r.destination != null) {
                line.append(r.destination);
                line.append(',').append(r.nextHopAddr == null ? "" : r.nextHopAddr);
                long metric = r.metric == null || r.metric == -1 ? 0 : r.metric & 0xffff_ffffL;
                line.append(',').append(metric);
                StringBuilder opts = new StringBuilder("table=");
                opts.append(r.tableId == null || r.tableId == 0 ? 254 : r.tableId);
                if (r.weight != null) {
                    opts.append(",weight=").append(r.weight);
                }
                if (r.routeType != null) {
                    opts.append(",type=").append(r.routeType);
                }
                if (r.cwnd != null) {
                    opts.append(",cwnd=").append(r.cwnd).append(",lock-cwnd=true");
                }
                if (r.source != null) {
                    opts.append(",src=").append(r.source);
                }
                c.set(section, "route" + n, line.toString());
                c.set(section, "route" + n + "_options", opts.toString());
            }
            n++;
        }
    }

    /** Whether any route of a family goes into the profile (nmstate then uses method manual). */
    static boolean any(List<Entry> routes, boolean v6) {
        if (routes == null) {
            return false;
        }
        for (Entry r : routes) {
            if (r.destination == null || r.v6() == v6) {
                return true;
            }
        }
        return false;
    }
}
