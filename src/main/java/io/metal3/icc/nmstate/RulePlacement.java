package io.metal3.icc.nmstate;

import java.util.ArrayList;
import java.util.List;

/**
 * Which profile holds each route rule (nmstate's store_route_rule_config): the rule's incoming
 * interface; else an interface with a route in the rule's table (those with routes first, then
 * every changed interface by name, counting the table its DHCP routes go to); else the first
 * listed interface with the rule's IP family enabled; else {@code lo}.
 */
final class RulePlacement {

    private RulePlacement() {
    }

    static void place(List<RouteRules.Rule> rules, Routes.Merged routes, MergedIfaces ifaces) throws NmstateException {
        for (RouteRules.Rule rule : rules) {
            String name = find(rule, routes, ifaces);
            MergedIface i = ifaces.kernel(name);
            if (i == null) {
                continue;
            }
            i.markAsChanged();
            Iface apply = i.forApply;
            boolean v6 = rule.v6();
            if (v6) {
                if (apply.ipv6 == null && i.merged.ipv6 != null) {
                    apply.ipv6 = i.merged.ipv6.copy();
                }
                add(apply.ipv6, i.merged.ipv6, rule);
            } else {
                if (apply.ipv4 == null && i.merged.ipv4 != null) {
                    apply.ipv4 = i.merged.ipv4.copy();
                }
                add(apply.ipv4, i.merged.ipv4, rule);
            }
        }
    }

    /** A rule for an interface without that IP section is dropped, as nmstate drops it. */
    private static void add(IpConfig ip, IpConfig merged, RouteRules.Rule rule) {
        if (ip == null) {
            return;
        }
        if (ip.rules == null) {
            ip.rules = merged != null && merged.rules != null ? new ArrayList<>(merged.rules) : new ArrayList<>();
        }
        ip.rules.add(rule);
    }

    private static String find(RouteRules.Rule rule, Routes.Merged routes, MergedIfaces ifaces) throws NmstateException {
        if (rule.iif != null) {
            MergedIface i = ifaces.kernel(rule.iif);
            if (i == null) {
                throw NmstateException.invalid("The interface " + rule.iif + " required by route rule " + rule
                        + " does not exists");
            }
            return i.name();
        }
        long table = rule.tableId == null ? 254 : rule.tableId;
        List<String> withRoutes = new ArrayList<>(routes.changedIfaces());
        withRoutes.sort(NmConnection.BYTEWISE);
        for (String name : withRoutes) {
            if (hasTable(name, routes, ifaces, rule.v6(), table)) {
                return name;
            }
        }
        List<String> changed = new ArrayList<>();
        for (MergedIface i : ifaces.kernel.values()) {
            if (i.isChanged()) {
                changed.add(i.name());
            }
        }
        changed.sort(NmConnection.BYTEWISE);
        for (String name : changed) {
            if (hasTable(name, routes, ifaces, rule.v6(), table)) {
                return name;
            }
        }
        for (MergedIfaces.Listed l : ifaces.insertOrder) {
            MergedIface i = ifaces.get(l.name(), l.type());
            if (i == null) {
                continue;
            }
            IpConfig ip = rule.v6() ? i.merged.ipv6 : i.merged.ipv4;
            if (ip != null && ip.enabled) {
                return l.name();
            }
        }
        return "lo";
    }

    private static boolean hasTable(String name, Routes.Merged routes, MergedIfaces ifaces, boolean v6, long table) {
        for (Routes.Entry r : routes.byIface().getOrDefault(name, List.of())) {
            if (r.v6() != v6) {
                continue;
            }
            if (r.tableId != null && r.tableId == table || r.tableId != null && r.tableId == 0 && table == 254
                    || table == 254 && r.tableId == null) {
                return true;
            }
        }
        MergedIface i = ifaces.kernel(name);
        if (i != null) {
            IpConfig ip = v6 ? i.merged.ipv6 : i.merged.ipv4;
            long t = ip == null || ip.autoTableId == null ? 254 : ip.autoTableId;
            return t == table || t == 0 && table == 254;
        }
        return false;
    }
}
