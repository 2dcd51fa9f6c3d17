package io.metal3.icc.nmstate;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code dns-resolver.config}, validated as nmstate 2.2 validates it: servers (IPv4 dotted quads,
 * IPv6 in canonical form, link-local servers scoped to an interface with {@code %}), search
 * domains, and resolver options.
 */
record DnsConfig(List<String> rawServers, List<String> search, List<String> options, List<Server> servers) {

    static final DnsConfig NONE = new DnsConfig(List.of(), List.of(), List.of(), List.of());

    /** A name server; {@code scope} is the interface of a link-local IPv6 server ({@code fe80::1%eth0}). */
    record Server(IpAddress ip, String scope) {
        boolean v6() {
            return ip.v6();
        }

        @Override
        public String toString() {
            return scope == null ? ip.toString() : ip + "%" + scope;
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

    /** Reads the section; {@link #sanitize()} checks it later, where nmstate does. */
    static DnsConfig parse(Object raw) throws NmstateException {
        Fields.Errors e = Fields.Errors.typed("dns-resolver");
        Fields resolver = Fields.of(raw, "DnsState", e);
        Object running = resolver.raw("running");
        Object config = resolver.raw("config");
        resolver.done();
        if (running != null) {
            lists(running, Fields.Errors.typed("dns-resolver.running"));
        }
        if (config == null) {
            return NONE;
        }
        return lists(config, Fields.Errors.typed("dns-resolver.config"));
    }

    private static DnsConfig lists(Object raw, Fields.Errors e) throws NmstateException {
        Fields f = Fields.of(raw, "DnsClientState", e);
        List<String> server = f.stringList("server");
        List<String> search = f.stringList("search");
        List<String> options = f.stringList("options");
        f.done();
        List<String> checkedSearch = new ArrayList<>();
        for (String s : search == null ? List.<String>of() : search) {
            checkedSearch.add(Text.checked(s, "dns-resolver search domain"));
        }
        List<String> checkedOptions = new ArrayList<>();
        for (String o : options == null ? List.<String>of() : options) {
            checkedOptions.add(Text.checked(o, "dns-resolver option"));
        }
        return new DnsConfig(server == null ? List.of() : server, checkedSearch, checkedOptions, List.of());
    }

    /** nmstate's DnsClientState::sanitize: servers parsed and normalised, options checked. */
    DnsConfig sanitize() throws NmstateException {
        List<Server> out = new ArrayList<>();
        for (String s : rawServers) {
            Server server = server(s);
            if (server != null) {
                out.add(server);
            }
        }
        for (String opt : options) {
            int colon = opt.indexOf(':');
            if (colon >= 0 && !VALUE_OPTIONS.contains(opt.substring(0, colon))) {
                throw NmstateException.invalid("Option '" + opt.substring(0, colon)
                        + "' is not supported to hold a value, " + SUPPORTED.replace("attempts", "attempts:n"));
            }
            if (colon < 0 && !FLAG_OPTIONS.contains(opt)) {
                throw NmstateException.invalid("Unsupported DNS option " + opt + ", " + SUPPORTED);
            }
        }
        return new DnsConfig(rawServers, search, options, out);
    }

    /** null: a scoped server whose address is not IPv6, which nmstate drops without a word. */
    private static Server server(String s) throws NmstateException {
        if (s.contains(":")) {
            String[] parts = s.split("%", -1);
            if (parts.length == 2) {
                IpAddress ip = IpAddress.parseV6(parts[0]);
                if (ip == null) {
                    return null;
                }
                return new Server(ip, Text.checked(parts[1], "DNS server scope"));
            }
            IpAddress ip = IpAddress.parseV6(s);
            if (ip == null) {
                throw NmstateException.invalid("Invalid DNS server string " + s);
            }
            return new Server(ip, null);
        }
        IpAddress ip = IpAddress.parseV4(s);
        if (ip == null) {
            throw NmstateException.invalid("Invalid DNS server string " + s);
        }
        return new Server(ip, null);
    }
}
