package io.metal3.icc.nmstate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code dns-resolver.config}, validated as nmstate 2.2 validates it: servers (IPv4 dotted quads,
 * IPv6 in canonical form, at most one link-local server scoped to an interface with {@code %}),
 * search domains, and resolver options.
 */
record DnsConfig(List<Server> servers, List<String> search, List<String> options) {

    static final DnsConfig NONE = new DnsConfig(List.of(), List.of(), List.of());

    /** A name server; {@code scope} is the interface of a link-local IPv6 server ({@code fe80::1%eth0}). */
    record Server(IpAddress ip, String scope) {
        boolean v6() {
            return ip.v6();
        }
    }

    private static final List<String> FLAG_OPTIONS = List.of("debug", "edns0", "inet6", "ip6-bytestring", "ip6-dotint",
            "no-aaaa", "no-check-names", "no-ip6-dotint", "no-reload", "no-tld-query", "rotate", "single-request",
            "single-request-reopen", "trust-ad", "use-vc");
    private static final Set<String> VALUE_OPTIONS = Set.of("ndots", "timeout", "attempts");
    private static final String SUPPORTED = "only support these without value: " + String.join(", ", FLAG_OPTIONS)
            + " and these with values: ndots:n, timeout:n, attempts";

    boolean empty() {
        return servers.isEmpty() && search.isEmpty() && options.isEmpty();
    }

    static DnsConfig parse(Object raw) throws NmstateException {
        Map<String, Object> resolver = Yaml.map(raw, "dns-resolver");
        Yaml.onlyKeys(resolver, Set.of("config", "running"), "dns-resolver");
        Map<String, Object> config = Yaml.map(resolver.get("config"), "dns-resolver.config");
        Yaml.onlyKeys(config, Set.of("server", "search", "options"), "dns-resolver.config");
        List<Server> servers = new ArrayList<>();
        for (Object o : Yaml.list(config.get("server"), "dns-resolver.config.server")) {
            String s = Yaml.string(o, "dns-resolver.config.server");
            Server server = server(s);
            if (server != null) {
                servers.add(server);
            }
        }
        List<String> search = new ArrayList<>();
        for (Object o : Yaml.list(config.get("search"), "dns-resolver.config.search")) {
            search.add(Text.checked(Yaml.string(o, "dns-resolver.config.search"), "dns-resolver search domain"));
        }
        List<String> options = new ArrayList<>();
        for (Object o : Yaml.list(config.get("options"), "dns-resolver.config.options")) {
            String opt = Text.checked(Yaml.string(o, "dns-resolver.config.options"), "dns-resolver option");
            int colon = opt.indexOf(':');
            if (colon >= 0 && !VALUE_OPTIONS.contains(opt.substring(0, colon))) {
                throw NmstateException.invalid("Option '" + opt.substring(0, colon)
                        + "' is not supported to hold a value, " + SUPPORTED);
            }
            if (colon < 0 && !FLAG_OPTIONS.contains(opt)) {
                throw NmstateException.invalid("Unsupported DNS option " + opt + ", " + SUPPORTED);
            }
            options.add(opt);
        }
        return new DnsConfig(servers, search, options);
    }

    /** null: a scoped server whose address is not IPv6, which nmstate drops without a word. */
    private static Server server(String s) throws NmstateException {
        if (s.contains(":") && s.indexOf('%') >= 0 && s.indexOf('%') == s.lastIndexOf('%')) {
            int pct = s.indexOf('%');
            IpAddress ip = IpAddress.parse(s.substring(0, pct));
            String scope = s.substring(pct + 1);
            if (ip == null || !ip.v6()) {
                return null;
            }
            if (scope.isEmpty()) {
                throw NmstateException.invalid("Invalid DNS server string " + s);
            }
            return new Server(ip, Text.checked(scope, "DNS server scope"));
        }
        IpAddress ip = s.contains(":") ? IpAddress.parseV6(s) : IpAddress.parseV4(s);
        if (ip == null) {
            throw NmstateException.invalid("Invalid DNS server string " + s);
        }
        return new Server(ip, null);
    }
}
