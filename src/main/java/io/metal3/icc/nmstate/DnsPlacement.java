package io.metal3.icc.nmstate;

import java.util.ArrayList;
import java.util.List;

/**
 * Where {@code nmstatectl gc} writes the DNS configuration (nmstate 2.2's store_dns_config_to_iface
 * and store_dns_search_or_option_to_iface): interfaces are considered in document order; per
 * family the first <em>preferred</em> interface (static addresses, or auto with
 * {@code auto-dns: false}, judged on the interface to apply) wins, else the first <em>valid</em> one
 * (IP enabled, auto or with an address, judged on the merged interface); a link-local server names
 * its IPv6 interface.
 */
final class DnsPlacement {

    static final int PRIORITY = 40;

    private DnsPlacement() {
    }

    /** nmstate's validate_ipv6_link_local_address_dns_srv, run when the state is merged. */
    static void checkScoped(DnsConfig dns, MergedIfaces ifaces) throws NmstateException {
        List<String> names = new ArrayList<>();
        for (DnsConfig.Server s : dns.servers()) {
            if (s.scope() == null) {
                continue;
            }
            MergedIface i = ifaces.kernel(s.scope());
            if (i == null) {
                throw NmstateException.invalid("Desired IPv6 link local DNS server " + s + " is pointing to interface "
                        + s.scope() + " which does not exist.");
            }
            if (!valid(i, true)) {
                throw NmstateException.invalid("Interface " + s.scope() + " has IPv6 disabled, hence cannot hold desired"
                        + " IPv6 link local DNS server " + s);
            }
            names.add(i.name());
        }
        if (names.size() >= 2) {
            throw new NmstateException(NmstateException.NOT_IMPLEMENTED, "Only support IPv6 link local DNS name"
                    + " server(s) pointing to a single interface, but got '" + String.join(" ", names) + "'");
        }
    }

    static void place(DnsConfig dns, MergedIfaces ifaces) throws NmstateException {
        if (dns.servers().isEmpty()) {
            if (!dns.search().isEmpty() || !dns.options().isEmpty()) {
                placeSearchAndOptions(dns, ifaces);
            }
            return;
        }
        List<DnsConfig.Server> servers = dns.servers();
        if (servers.size() > 2 && mixed(servers)) {
            throw new NmstateException(NmstateException.NOT_IMPLEMENTED,
                    "Placing IPv4/IPv6 nameserver in the middle of IPv6/IPv4 nameservers is not supported yet");
        }
        String v4Iface = pick(false, ifaces);
        String scoped = null;
        for (DnsConfig.Server s : servers) {
            if (s.scope() != null && !s.scope().isEmpty()) {
                scoped = s.scope();
                break;
            }
        }
        String v6Iface = scoped != null ? scoped : pick(true, ifaces);
        boolean v6Primary = servers.get(0).v6();
        List<String> v4 = servers.stream().filter(s -> !s.v6()).map(s -> s.ip().toString()).toList();
        List<String> v6 = servers.stream().filter(DnsConfig.Server::v6).map(s -> s.ip().toString()).toList();
        if (!v6.isEmpty()) {
            save(ifaces, v6Iface, true, v6, v6Primary, dns);
        }
        if (!v4.isEmpty()) {
            save(ifaces, v4Iface, false, v4, !v6Primary, dns);
        }
    }

    private static void save(MergedIfaces ifaces, String name, boolean v6, List<String> servers, boolean primary,
                             DnsConfig dns) throws NmstateException {
        if (name == null) {
            throw NmstateException.invalid("Failed to find suitable(IP enabled) interface for DNS server "
                    + servers.stream().map(s -> "\"" + s + "\"").toList());
        }
        MergedIface i = ifaces.kernel(name);
        if (i == null) {
            throw new NmstateException(NmstateException.BUG, "_save_dns_to_iface(): Failed to find interface " + name);
        }
        i.markAsChanged();
        IpConfig ip = ipToApply(i, v6);
        if (ip == null) {
            throw new NmstateException(NmstateException.BUG, "BUG: The dns interface is hold None IP " + name);
        }
        ip.dns = primary ? new IpConfig.Dns(servers, dns.search(), dns.options(), PRIORITY)
                : new IpConfig.Dns(servers, List.of(), List.of(), PRIORITY + 10);
    }

    /** The interface's IP section to apply, taken from the merged interface when the desired one has none. */
    private static IpConfig ipToApply(MergedIface i, boolean v6) {
        if (v6) {
            if (i.forApply.ipv6 == null && i.merged.ipv6 != null) {
                i.forApply.ipv6 = i.merged.ipv6.copy();
            }
            return i.forApply.ipv6;
        }
        if (i.forApply.ipv4 == null && i.merged.ipv4 != null) {
            i.forApply.ipv4 = i.merged.ipv4.copy();
        }
        return i.forApply.ipv4;
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

    /** Kernel interfaces in document order, loopback and user-space ones left out. */
    private static List<MergedIface> candidates(MergedIfaces ifaces) {
        List<MergedIface> out = new ArrayList<>();
        for (MergedIfaces.Listed l : ifaces.insertOrder) {
            if (l.type().userspace || l.type() == IfaceType.LOOPBACK) {
                continue;
            }
            MergedIface i = ifaces.kernel(l.name());
            if (i != null) {
                out.add(i);
            }
        }
        return out;
    }

    /** The first preferred changed interface for the family, else the first valid one. */
    static String pick(boolean v6, MergedIfaces ifaces) {
        List<MergedIface> candidates = candidates(ifaces);
        for (MergedIface i : candidates) {
            if (i.isChanged() && preferred(i, v6)) {
                return i.name();
            }
        }
        for (MergedIface i : candidates) {
            if (i.isChanged() && valid(i, v6)) {
                return i.name();
            }
        }
        return null;
    }

    /** IP enabled, and static or auto, on the merged interface (whose IPv6 link-local addresses still count). */
    static boolean valid(MergedIface i, boolean v6) {
        IpConfig ip = v6 ? i.merged.ipv6 : i.merged.ipv4;
        return ip != null && ip.enabled && (ip.isStatic() || ip.auto());
    }

    /** Static with an address, or auto with {@code auto-dns: false}, on the interface to apply. */
    static boolean preferred(MergedIface i, boolean v6) {
        IpConfig ip = i.forApply == null ? null : v6 ? i.forApply.ipv6 : i.forApply.ipv4;
        if (ip == null || !ip.enabled) {
            return false;
        }
        return ip.isStatic() || ip.auto() && Boolean.FALSE.equals(ip.autoDns);
    }

    /**
     * Search domains or options without servers: the first interface, in document order, with IPv6
     * auto or else IPv4 auto; failing that, the first with IPv6 or else IPv4 enabled.
     */
    private static void placeSearchAndOptions(DnsConfig dns, MergedIfaces ifaces) throws NmstateException {
        List<MergedIface> candidates = candidates(ifaces);
        for (MergedIface i : candidates) {
            if (i.merged.ipv6 != null && i.merged.ipv6.auto()) {
                setSearch(i, true, dns);
                return;
            }
            if (i.merged.ipv4 != null && i.merged.ipv4.auto()) {
                setSearch(i, false, dns);
                return;
            }
        }
        for (MergedIface i : candidates) {
            if (i.merged.ipv6 != null && i.merged.ipv6.enabled) {
                setSearch(i, true, dns);
                return;
            }
            if (i.merged.ipv4 != null && i.merged.ipv4.enabled) {
                setSearch(i, false, dns);
                return;
            }
        }
        throw NmstateException.invalid("Failed to find suitable(IP enabled) interface for DNS searches '"
                + String.join(" ", dns.search()) + "'");
    }

    private static void setSearch(MergedIface i, boolean v6, DnsConfig dns) throws NmstateException {
        i.markAsChanged();
        IpConfig ip = ipToApply(i, v6);
        if (ip == null) {
            throw new NmstateException(NmstateException.BUG, "BUG: The dns interface is hold None IP " + i.name());
        }
        ip.dns = new IpConfig.Dns(List.of(), dns.search(), dns.options(), PRIORITY);
    }
}
