package io.metal3.icc.nmstate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.metal3.icc.nmstate.NetworkState.Iface;
import io.metal3.icc.nmstate.NetworkState.Ip;

/**
 * Where {@code nmstatectl gc} writes the DNS configuration (nmstate 2.2, {@code store_dns_config_to_iface}
 * and {@code store_dns_search_or_option_to_iface}): interfaces are considered in document order; per
 * family the first <em>preferred</em> interface (static addresses, or auto with {@code auto-dns: false})
 * wins, else the first <em>valid</em> one (IP enabled, auto or with an address).
 */
final class DnsPlacement {

    static final int PRIORITY = 40;

    private DnsPlacement() {
    }

    /**
     * @param candidates the listed interfaces that get a profile with IP settings, in document order
     * @param known      every interface that exists for gc (listed, added ports)
     */
    static void place(DnsConfig dns, List<Iface> candidates, Map<String, Iface> known,
                      Function<String, Keyfile> profile) throws NmstateException {
        if (dns.empty()) {
            return;
        }
        if (dns.servers().isEmpty()) {
            placeSearchAndOptions(dns, candidates, profile);
            return;
        }
        List<DnsConfig.Server> servers = dns.servers();
        if (servers.size() > 2 && mixed(servers)) {
            throw new NmstateException(NmstateException.NOT_IMPLEMENTED,
                    "Placing IPv4/IPv6 nameserver in the middle of IPv6/IPv4 nameservers is not supported yet");
        }
        String scopedIface = checkScoped(servers, known);
        String v4Iface = pick(false, candidates);
        String v6Iface = scopedIface != null ? scopedIface : pick(true, candidates);
        boolean v6Primary = servers.get(0).v6();
        List<String> v4 = servers.stream().filter(s -> !s.v6()).map(s -> s.ip().toString()).toList();
        List<String> v6 = servers.stream().filter(DnsConfig.Server::v6).map(s -> s.ip().toString()).toList();
        // nmstate stores IPv6 first, so its error names the IPv6 servers when both families fail.
        if (!v6.isEmpty()) {
            write(profile, v6Iface, "ipv6", v6, v6Primary, dns);
        }
        if (!v4.isEmpty()) {
            write(profile, v4Iface, "ipv4", v4, !v6Primary, dns);
        }
    }

    private static void write(Function<String, Keyfile> profile, String iface, String section, List<String> servers,
                              boolean primary, DnsConfig dns) throws NmstateException {
        if (iface == null) {
            throw NmstateException.invalid("Failed to find suitable(IP enabled) interface for DNS server "
                    + servers.stream().map(s -> "\"" + s + "\"").toList());
        }
        Keyfile k = profile.apply(iface);
        k.put(section, "dns", String.join(";", servers));
        if (primary) {
            k.put(section, "dns-search", String.join(";", dns.search()));
            k.put(section, "dns-options", String.join(";", dns.options()));
        }
        k.put(section, "dns-priority", primary ? PRIORITY : PRIORITY + 10);
    }

    /** 4,4,6 collapses to "46": an IPv4 run, an IPv6 run and an IPv4 run again cannot be kept in order. */
    private static boolean mixed(List<DnsConfig.Server> servers) {
        StringBuilder pattern = new StringBuilder();
        for (DnsConfig.Server s : servers) {
            char c = s.v6() ? '6' : '4';
            if (pattern.length() == 0 || pattern.charAt(pattern.length() - 1) != c) {
                pattern.append(c);
            }
        }
        return pattern.indexOf("464") >= 0 || pattern.indexOf("646") >= 0;
    }

    /** The interface of the link-local server, after nmstate's checks of it; null without one. */
    private static String checkScoped(List<DnsConfig.Server> servers, Map<String, Iface> known) throws NmstateException {
        List<DnsConfig.Server> scoped = servers.stream().filter(s -> s.scope() != null).toList();
        for (DnsConfig.Server s : scoped) {
            String text = s.ip() + "%" + s.scope();
            Iface iface = known.get(s.scope());
            if (s.scope().equals("lo")) {
                throw NmstateException.unsupported("IPv6 link-local DNS server on the loopback interface (" + text + ")", null);
            }
            if (iface == null) {
                throw NmstateException.invalid("Desired IPv6 link local DNS server " + text
                        + " is pointing to interface " + s.scope() + " which does not exist.");
            }
            if (!valid(iface.v6(), true)) {
                throw NmstateException.invalid("Interface " + s.scope() + " has IPv6 disabled, hence cannot hold desired"
                        + " IPv6 link local DNS server " + text);
            }
        }
        if (scoped.size() > 1) {
            throw new NmstateException(NmstateException.NOT_IMPLEMENTED, "Only support IPv6 link local DNS name server(s)"
                    + " pointing to a single interface, but got '"
                    + String.join(" ", scoped.stream().map(DnsConfig.Server::scope).toList()) + "'");
        }
        return scoped.isEmpty() ? null : scoped.get(0).scope();
    }

    /** The first preferred candidate for the family, else the first valid one. */
    static String pick(boolean v6, List<Iface> candidates) {
        for (Iface i : candidates) {
            if (preferred(v6 ? i.v6() : i.v4(), v6)) {
                return i.name();
            }
        }
        for (Iface i : candidates) {
            if (valid(v6 ? i.v6() : i.v4(), v6)) {
                return i.name();
            }
        }
        return null;
    }

    private static boolean auto(Ip ip, boolean v6) {
        return ip.dhcp() || (v6 && ip.autoconf());
    }

    /** IP enabled, and auto or with an address (for IPv6 a link-local one counts). */
    static boolean valid(Ip ip, boolean v6) {
        return ip.enabled() && (auto(ip, v6) || !ip.addresses().isEmpty());
    }

    /** Static with an address (link-local ones do not count), or auto with {@code auto-dns: false}. */
    static boolean preferred(Ip ip, boolean v6) {
        if (!ip.enabled()) {
            return false;
        }
        if (auto(ip, v6)) {
            return Boolean.FALSE.equals(ip.autoDns());
        }
        return ip.addresses().stream().anyMatch(a -> !a.ip().linkLocal());
    }

    /**
     * Search domains or options without servers: the first interface, in document order, with IPv6
     * auto or else IPv4 DHCP; failing that, the first with IPv6 or else IPv4 enabled.
     */
    private static void placeSearchAndOptions(DnsConfig dns, List<Iface> candidates, Function<String, Keyfile> profile)
            throws NmstateException {
        String[] target = null;
        for (Iface i : candidates) {
            if (i.v6().enabled() && auto(i.v6(), true)) {
                target = new String[] {i.name(), "ipv6"};
            } else if (i.v4().enabled() && i.v4().dhcp()) {
                target = new String[] {i.name(), "ipv4"};
            }
            if (target != null) {
                break;
            }
        }
        if (target == null) {
            for (Iface i : candidates) {
                if (i.v6().enabled()) {
                    target = new String[] {i.name(), "ipv6"};
                } else if (i.v4().enabled()) {
                    target = new String[] {i.name(), "ipv4"};
                }
                if (target != null) {
                    break;
                }
            }
        }
        if (target == null) {
            throw NmstateException.invalid("Failed to find suitable(IP enabled) interface for DNS searches '"
                    + String.join(" ", dns.search()) + "'");
        }
        Keyfile k = profile.apply(target[0]);
        k.put(target[1], "dns-search", String.join(";", dns.search()));
        k.put(target[1], "dns-options", String.join(";", dns.options()));
        k.put(target[1], "dns-priority", PRIORITY);
    }

    /** Listed interfaces that gc considers, first occurrence first: not removed, ignored or ports. */
    static List<Iface> candidates(List<Iface> listed, Map<String, String[]> controllerOf) {
        List<Iface> out = new ArrayList<>();
        for (Iface i : listed) {
            if ((i.state().equals("up") || i.state().equals("down")) && !controllerOf.containsKey(i.name())) {
                out.add(i);
            }
        }
        return out;
    }
}
