package io.metal3.icc.nmstate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * NMState YAML → NetworkManager keyfiles, in Java: what nmstate 2.2's {@code nmstatectl gc} writes,
 * byte for byte (file names, sections, keys, values, UUIDs), for every interface type and property
 * it converts, and its refusals, with its meaning and naming the field. This class only
 * orchestrates nmstate's steps; each interface family, section and policy lives in its own class.
 */
public final class NmstateConverter {

    private static final List<String> TOP = List.of("description", "hostname", "dns-resolver", "route-rules", "routes",
            "interfaces", "ovs-db", "ovn");

    private NmstateConverter() {
    }

    /** The document as nmstate reads it (its NetworkState), before anything is merged. */
    private static final class Desired {
        List<Iface> interfaces = new ArrayList<>();
        List<Routes.Entry> routes = List.of();
        List<RouteRules.Rule> rules;
        DnsConfig dns;
        Object ovsDb;
        boolean ovsDbGiven;
        Object ovn;
    }

    public static List<NetworkKeyfile> convert(byte[] yaml) throws NmstateException {
        Yaml.Doc doc = Yaml.load(yaml);
        if (doc == null) {
            return List.of();
        }
        Desired d = read(doc);

        MergedIfaces ifaces = MergedIfaces.build(d.interfaces, Fields.Errors.yaml("interfaces", ""));
        Routes.Merged routes = Routes.merge(d.routes, ifaces);
        List<RouteRules.Rule> rules = d.rules == null ? null : RouteRules.forApply(d.rules);
        if (rules != null) {
            java.util.Set<String> ignored = ifaces.ignoredKernel();
            rules.removeIf(r -> r.iif != null && ignored.contains(r.iif));
        }
        if (d.ovn != null) {
            OvsDb.validateOvn(d.ovn, Fields.Errors.typed("ovn"));
        }
        if (d.ovsDbGiven) {
            OvsDb.validateGlobal(d.ovsDb == null ? Map.of() : d.ovsDb, Fields.Errors.typed("ovs-db"));
        }
        DnsConfig dns = d.dns == null ? DnsConfig.NONE : d.dns.sanitize();
        DnsPlacement.checkScoped(dns, ifaces);

        storeRoutes(routes, ifaces);
        if (rules != null && !rules.isEmpty()) {
            RulePlacement.place(rules, routes, ifaces);
        }
        DnsPlacement.place(dns, ifaces);

        List<NetworkKeyfile> out = new ArrayList<>();
        for (NmConnection c : Profiles.build(ifaces)) {
            out.add(new NetworkKeyfile(c.get("connection", "id") + ".nmconnection", c.render()));
        }
        return out;
    }

    /** nmstate's NetworkState deserialization: top-level keys in document order, each to its struct. */
    private static Desired read(Yaml.Doc doc) throws NmstateException {
        Map<String, Object> top = doc.map();
        Desired d = new Desired();
        for (Map.Entry<String, Object> e : top.entrySet()) {
            String key = e.getKey();
            Object v = Yaml.value(e.getValue());
            Fields.Errors errors = Fields.Errors.yaml("", "");
            if (v == null && doc.explicitNull().contains(key)) {
                String expected = switch (key) {
                    case "interfaces" -> "a sequence";
                    case "routes" -> "struct Routes";
                    case "route-rules" -> "struct RouteRules";
                    case "ovn" -> "struct OvnConfiguration";
                    default -> null;
                };
                if (expected != null) {
                    throw NmstateException.invalid("Invalid YAML string: " + key + ": invalid type: unit value, expected "
                            + expected);
                }
            }
            switch (key) {
                case "description" -> {
                    if (v instanceof java.util.List || v instanceof Map) {
                        Fields.asString(v, errors.field("description"));
                    }
                }
                case "hostname" -> {
                    if (v != null) {
                        Fields h = Fields.of(v, "HostNameState", Fields.Errors.typed("hostname"));
                        h.string("running");
                        h.string("config");
                        h.done();
                    }
                }
                case "dns-resolver" -> d.dns = v == null ? null : DnsConfig.parse(v);
                case "route-rules" -> d.rules = v == null ? null : RouteRules.parse(v);
                case "routes" -> d.routes = v == null ? List.of() : Routes.parse(v);
                case "interfaces" -> d.interfaces = interfaces(v, doc);
                case "ovs-db" -> {
                    d.ovsDbGiven = v != null;
                    d.ovsDb = v;
                    if (v != null) {
                        Fields.of(v, "OvsDbGlobalConfig", Fields.Errors.typed("ovs-db"));
                    }
                }
                case "ovn" -> d.ovn = v;
                default -> throw unknownTop(key);
            }
        }
        return d;
    }

    private static NmstateException unknownTop(String key) {
        return NmstateException.invalid("Invalid YAML string: unknown field `" + key + "`, expected one of "
                + String.join(", ", TOP.stream().map(t -> "`" + t + "`").toList()));
    }

    private static List<Iface> interfaces(Object v, Yaml.Doc doc) throws NmstateException {
        Fields.Errors errors = Fields.Errors.yaml("interfaces", doc.at(v));
        if (v == null) {
            return List.of(); // serde_yaml reads an empty sequence from a null one
        }
        List<Iface> out = new ArrayList<>();
        List<?> list = Fields.list(v, errors);
        for (int i = 0; i < list.size(); i++) {
            String big = Yaml.bigNumberPath(list.get(i), "interfaces[" + i + "]");
            if (big != null) {
                throw NmstateException.invalid("Invalid YAML string: " + big + ": JSON number out of range");
            }
            out.add(Iface.parse(Fields.map(list.get(i), errors), errors));
        }
        return out;
    }

    /** nmstate's store_route_config: each interface with routes gets them (and its IP sections) to apply. */
    private static void storeRoutes(Routes.Merged routes, MergedIfaces ifaces) {
        for (String name : routes.changedIfaces()) {
            MergedIface i = ifaces.kernel(name);
            if (i == null) {
                continue;
            }
            i.markAsChanged();
            Iface apply = i.forApply;
            if (apply.ipv4 == null && i.merged.ipv4 != null) {
                apply.ipv4 = i.merged.ipv4.copy();
            }
            if (apply.ipv6 == null && i.merged.ipv6 != null) {
                apply.ipv6 = i.merged.ipv6.copy();
            }
            apply.routes = new ArrayList<>(routes.byIface().getOrDefault(name, List.of()));
        }
    }
}
