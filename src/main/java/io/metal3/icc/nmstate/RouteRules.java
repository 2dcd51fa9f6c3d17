package io.metal3.icc.nmstate;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code route-rules.config}: policy routing rules (from/to networks, priority, table, fwmark and
 * fwmask, incoming interface, action, suppress-prefix-length, family), cleaned and given default
 * priorities as nmstate does, then placed on an interface and written as routing-ruleN keys.
 */
final class RouteRules {

    static final List<String> ACTIONS = List.of("blackhole", "unreachable", "prohibit");

    static final class Rule {
        String family;
        boolean absent;
        String ipFrom;
        String ipTo;
        Long priority;
        Long tableId;
        Long fwmark;
        Long fwmask;
        String action;
        String iif;
        Long suppressPrefixLength;

        boolean v6() {
            return "ipv6".equals(family) || ipFrom != null && ipFrom.contains(":") || ipTo != null && ipTo.contains(":");
        }

        /** nmstate's Display of a rule, used in its messages. */
        @Override
        public String toString() {
            List<String> p = new ArrayList<>();
            if (absent) {
                p.add("state: absent");
            }
            Text.field(p, "family", family);
            Text.field(p, "ip-from", ipFrom);
            Text.field(p, "ip-to", ipTo);
            Text.field(p, "priority", priority);
            Text.field(p, "route-table", tableId);
            Text.field(p, "fwmask", fwmask);
            Text.field(p, "fwmark", fwmark);
            Text.field(p, "iif", iif);
            Text.field(p, "action", action);
            Text.field(p, "suppress-prefix-length", suppressPrefixLength);
            return String.join(" ", p);
        }
    }

    private RouteRules() {
    }

    static List<Rule> parse(Object raw) throws NmstateException {
        Fields f = Fields.of(raw, "RouteRules", Fields.Errors.typed("route-rules"));
        Object config = f.raw("config");
        f.done();
        if (config == null) {
            return null;
        }
        List<Rule> out = new ArrayList<>();
        List<?> list = Fields.list(config, Fields.Errors.typed("route-rules.config"));
        for (int i = 0; i < list.size(); i++) {
            Fields.Errors e = Fields.Errors.typed("route-rules.config[" + i + "]");
            Fields r = Fields.of(list.get(i), "RouteRuleEntry", e);
            Rule rule = new Rule();
            rule.family = r.variant("family", List.of("ipv4", "ipv6", "unknown"));
            rule.absent = r.variant("state", List.of("absent")) != null;
            rule.ipFrom = Text.checked(r.string("ip-from"), "route rule ip-from");
            rule.ipTo = Text.checked(r.string("ip-to"), "route rule ip-to");
            rule.priority = r.intOrString("priority", Long.MIN_VALUE, Long.MAX_VALUE);
            rule.tableId = r.uintOrString("route-table", Fields.U32);
            rule.fwmark = r.uintOrString("fwmark", Fields.U32);
            rule.fwmask = r.uintOrString("fwmask", Fields.U32);
            rule.action = r.variant("action", ACTIONS);
            rule.iif = Text.checked(r.string("iif"), "route rule iif");
            rule.suppressPrefixLength = r.uint("suppress-prefix-length", Fields.U32, "u32", "suppress_prefixlength");
            r.done();
            out.add(rule);
        }
        return out;
    }

    /** nmstate's RouteRuleEntry::sanitize. */
    static void sanitize(Rule r) throws NmstateException {
        if (r.ipFrom != null) {
            if (r.ipFrom.isEmpty()) {
                r.ipFrom = null;
            } else {
                r.ipFrom = Routes.network(r.ipFrom);
                if (r.family == null) {
                    r.family = r.ipFrom.contains(":") ? "ipv6" : "ipv4";
                }
            }
        }
        if (r.ipTo != null) {
            if (r.ipTo.isEmpty()) {
                r.ipTo = null;
            } else {
                r.ipTo = Routes.network(r.ipTo);
                if (r.family == null) {
                    r.family = r.ipTo.contains(":") ? "ipv6" : "ipv4";
                }
            }
        }
        if (r.ipFrom == null && r.ipTo == null && r.family == null) {
            throw NmstateException.invalid("Neither ip-from, ip-to nor family is defined '" + r + "'");
        } else if (r.family != null) {
            boolean v6 = r.family.equals("ipv6");
            if (r.ipFrom != null && r.ipFrom.contains(":") != v6) {
                throw NmstateException.invalid("The ip-from format mismatches with the family set '" + r + "'");
            }
            if (r.ipTo != null && r.ipTo.contains(":") != v6) {
                throw NmstateException.invalid("The ip-to format mismatches with the family set " + r);
            }
        }
        if (r.fwmark == null && r.fwmask != null) {
            throw NmstateException.invalid("fwmask is present but fwmark is not defined or is zero " + debug(r));
        }
        if (r.action == null && r.tableId == null) {
            r.tableId = 254L;
        }
    }

    private static String debug(Rule r) {
        return "RouteRuleEntry { family: " + (r.family == null ? "None" : "Some(" + (r.family.equals("ipv6") ? "IPv6"
                : r.family.equals("ipv4") ? "IPv4" : "Unknown") + ")") + ", state: " + (r.absent ? "Some(Absent)" : "None")
                + ", ip_from: " + opt(r.ipFrom) + ", ip_to: " + opt(r.ipTo) + ", priority: " + num(r.priority)
                + ", table_id: " + num(r.tableId) + ", fwmark: " + num(r.fwmark) + ", fwmask: " + num(r.fwmask)
                + ", action: " + (r.action == null ? "None" : "Some(" + Character.toUpperCase(r.action.charAt(0))
                + r.action.substring(1) + ")") + ", iif: " + opt(r.iif) + ", suppress_prefix_length: "
                + num(r.suppressPrefixLength) + " }";
    }

    private static String opt(String s) {
        return s == null ? "None" : "Some(" + Fields.json(s) + ")";
    }

    private static String num(Long v) {
        return v == null ? "None" : "Some(" + v + ")";
    }

    /** The rules to apply (absent ones match nothing in gc), with nmstate's automatic priorities from 30000. */
    static List<Rule> forApply(List<Rule> desired) throws NmstateException {
        List<Rule> out = new ArrayList<>();
        for (Rule r : desired) {
            if (!r.absent) {
                sanitize(r);
                out.add(r);
            }
        }
        long max = 0;
        boolean any = false;
        for (Rule r : out) {
            long p = r.priority == null ? 0 : r.priority;
            max = any ? Math.max(max, p) : p;
            any = true;
        }
        if (max < 29999) {
            max = 29999;
        }
        for (Rule r : out) {
            if (r.priority == null || r.priority == -1) {
                r.priority = ++max;
            }
        }
        return out;
    }

    /** routing-ruleN of one family, in the order the rules were placed. */
    static void write(NmConnection c, String section, List<Rule> rules, boolean v6) throws NmstateException {
        int n = 0;
        for (Rule r : rules) {
            if (r.family != null && r.family.equals("ipv6") != v6 && !r.family.equals("unknown")) {
                continue;
            }
            if ("unknown".equals(r.family) && v6) {
                continue; // AddressFamily::Unknown is not IPv6: such a rule goes with IPv4
            }
            if (r.ipFrom != null && r.ipFrom.contains(":") != v6 || r.ipTo != null && r.ipTo.contains(":") != v6) {
                continue;
            }
            if (r.priority == null || r.priority == -1) {
                throw new NmstateException(NmstateException.BUG, "NM route rule got None or USE_DEFAULT_PRIORITY priority");
            }
            if (r.suppressPrefixLength != null && r.suppressPrefixLength > Integer.MAX_VALUE) {
                throw new NmstateException(NmstateException.NOT_SUPPORTED, "Specified suppress-prefix-length "
                        + r.suppressPrefixLength + " is not supported by NetworkManager: out of range integral type"
                        + " conversion attempted");
            }
            List<String> words = new ArrayList<>();
            words.add("priority " + (r.priority & 0xffff_ffffL));
            if (r.ipTo != null) {
                words.add("to " + r.ipTo);
            }
            if (r.ipFrom != null) {
                words.add("from " + r.ipFrom);
            } else if (r.ipTo == null) {
                words.add(v6 ? "from ::/0" : "from 0.0.0.0/0");
            }
            if (r.iif != null) {
                words.add("iif " + r.iif);
            }
            if (r.suppressPrefixLength != null) {
                words.add("suppress_prefixlength " + r.suppressPrefixLength);
            }
            if (r.action != null) {
                words.add("type " + r.action);
            }
            words.add("table " + (r.tableId == null || r.tableId == 0 ? 254 : r.tableId));
            if (r.fwmark != null) {
                words.add("fwmark " + r.fwmark + (r.fwmask != null ? "/" + r.fwmask : ""));
            }
            c.set(section, "routing-rule" + n, String.join(" ", words));
            n++;
        }
    }
}
