package io.metal3.icc.nmstate;

import java.util.ArrayList;
import java.util.List;

/**
 * An interface's {@code ipv4} or {@code ipv6} section (nmstate's InterfaceIpv4/InterfaceIpv6),
 * its clean-up (sanitize) and the DNS and route-rule settings nmstate attaches to it later.
 */
final class IpConfig {

    /** An address; one with a finite lifetime is dynamic and never written. */
    record Addr(IpAddress ip, int prefix, String validLifetime, String preferredLifetime, List<String> mptcpFlags) {
        boolean auto() {
            return validLifetime != null && !validLifetime.equals("forever");
        }

        @Override
        public String toString() {
            return ip + "/" + prefix;
        }
    }

    /** DNS settings nmstate stores on the interface it chooses (DnsClientState with a priority). */
    record Dns(List<String> servers, List<String> search, List<String> options, Integer priority) {
    }

    final boolean v6;
    boolean enabled;
    boolean enabledDefined;
    Boolean dhcp;
    Boolean autoconf;
    String dhcpClientId;
    String dhcpDuid;
    List<Addr> addresses;
    Boolean autoDns;
    Boolean autoGateway;
    Boolean autoRoutes;
    Long autoTableId;
    Long autoRouteMetric;
    String addrGenMode;
    Boolean allowExtraAddress;
    String token;
    Boolean dhcpSendHostname;
    String dhcpCustomHostname;
    Dns dns;
    List<RouteRules.Rule> rules;

    IpConfig(boolean v6) {
        this.v6 = v6;
    }

    static final List<String> FIELDS = List.of("enabled", "dhcp", "autoconf", "dhcp-client-id", "dhcp-duid", "address",
            "auto-dns", "auto-gateway", "auto-routes", "auto-route-table-id", "auto-route-metric", "addr-gen-mode",
            "allow-extra-address", "token", "dhcp-send-hostname", "dhcp-custom-hostname");

    /** nmstate reads the section through JSON, so its messages carry no path of their own. */
    static IpConfig parse(Object raw, boolean v6, Fields.Errors errors) throws NmstateException {
        if (raw instanceof java.util.Map<?, ?> m) {
            if (!v6 && m.containsKey("autoconf")) {
                throw errors.error("autoconf is not allowed for IPv4");
            }
            if (!v6 && m.containsKey("dhcp_duid")) {
                throw errors.error("dhcp-duid is not allowed for IPv4");
            }
            if (v6 && m.containsKey("dhcp_client_id")) {
                throw errors.error("dhcp-client-id is not allowed for IPv6");
            }
        }
        Fields f = Fields.of(raw, "InterfaceIp", errors);
        IpConfig ip = new IpConfig(v6);
        Boolean enabled = f.boolOrString("enabled");
        ip.enabled = Boolean.TRUE.equals(enabled);
        ip.enabledDefined = enabled != null;
        ip.dhcp = f.boolOrString("dhcp");
        Boolean autoconf = f.boolOrString("autoconf");
        String clientId = f.string("dhcp-client-id");
        String duid = f.string("dhcp-duid");
        Object addrs = f.raw("address");
        if (addrs != null) {
            ip.addresses = new ArrayList<>();
            for (Object a : Fields.list(addrs, errors)) {
                ip.addresses.add(addr(a, errors));
            }
        }
        ip.autoDns = f.boolOrString("auto-dns");
        ip.autoGateway = f.boolOrString("auto-gateway");
        ip.autoRoutes = f.boolOrString("auto-routes");
        ip.autoTableId = f.uintOrString("auto-route-table-id", Fields.U32);
        ip.autoRouteMetric = f.uintOrString("auto-route-metric", Fields.U32);
        String agm = f.string("addr-gen-mode");
        ip.allowExtraAddress = f.bool("allow-extra-address");
        ip.token = f.string("token");
        ip.dhcpSendHostname = f.bool("dhcp-send-hostname");
        ip.dhcpCustomHostname = Text.checked(f.string("dhcp-custom-hostname"), "dhcp-custom-hostname");
        f.done();
        if (v6) {
            ip.autoconf = autoconf;
            ip.dhcpDuid = duid == null ? null : switch (duid) {
                case "llt", "LLT" -> "llt";
                case "en", "EN" -> "en";
                case "ll", "LL" -> "ll";
                case "uuid", "UUID" -> "uuid";
                default -> Text.checked(duid, "dhcp-duid");
            };
            ip.addrGenMode = agm == null ? null : switch (agm) {
                case "eui64", "EUI64" -> "eui64";
                case "stable-privacy", "STABLE-PRIVACY" -> "stable-privacy";
                default -> agm;
            };
            ip.token = Text.checked(ip.token, "token");
        } else {
            ip.dhcpClientId = clientId == null ? null : switch (clientId) {
                case "ll", "LL" -> "ll";
                case "iaid+duid", "IAID+DUID" -> "iaid+duid";
                default -> Text.checked(clientId, "dhcp-client-id");
            };
        }
        return ip;
    }

    private static Addr addr(Object raw, Fields.Errors errors) throws NmstateException {
        Fields a = Fields.of(raw, "InterfaceIpAddr", errors);
        boolean hasIp = a.present("ip");
        Object ipText = a.required("ip");
        IpAddress ip = null;
        if (hasIp) {
            if (!(ipText instanceof String s)) {
                throw errors.error("invalid type: " + Yaml.describe(ipText) + ", expected IP address");
            }
            ip = IpAddress.parse(s);
            if (ip == null) {
                throw errors.error("invalid IP address syntax");
            }
        }
        Long prefix = a.requiredUintOrString("prefix-length", Fields.U8);
        List<String> flags = null;
        Object rawFlags = a.raw("mptcp-flags");
        if (rawFlags != null) {
            flags = new ArrayList<>();
            for (Object o : Fields.list(rawFlags, errors)) {
                flags.add(Fields.variant(o, Mptcp.FLAGS, errors));
            }
        }
        String valid = a.string("valid-life-time", "valid-left", "valid-lft");
        String preferred = a.string("preferred-life-time", "preferred-left", "preferred-lft");
        a.done();
        return new Addr(ip, prefix.intValue(), valid, preferred, flags);
    }

    boolean auto() {
        return v6 ? enabled && (Boolean.TRUE.equals(dhcp) || Boolean.TRUE.equals(autoconf))
                : enabled && Boolean.TRUE.equals(dhcp);
    }

    boolean isStatic() {
        return enabled && !auto() && addresses != null && !addresses.isEmpty();
    }

    /** nmstate's sanitize: drop dynamic and (IPv6) link-local addresses, default the auto-* flags, check families. */
    void sanitize(boolean desired) throws NmstateException {
        if (v6) {
            sanitizeV6(desired);
        } else {
            sanitizeV4(desired);
        }
    }

    private void sanitizeV4(boolean desired) throws NmstateException {
        if (auto()) {
            defaultAutoFlags();
        }
        if (addresses != null) {
            if (desired) {
                for (Addr a : addresses) {
                    if (a.ip().v6()) {
                        throw NmstateException.invalid("Got IPv6 address " + a + " in ipv4 config section");
                    }
                }
                for (Addr a : addresses) {
                    if (a.prefix() > 32) {
                        throw NmstateException.invalid("Invalid IPv4 network prefix length '" + a.prefix()
                                + "', should be in the range of 0 to 32");
                    }
                }
            }
            addresses.removeIf(Addr::auto);
        }
        if (!enabled) {
            dhcp = null;
            addresses = null;
        }
        if (!Boolean.TRUE.equals(dhcp)) {
            clearAutoFlags();
            dhcpClientId = null;
            dhcpSendHostname = null;
            dhcpCustomHostname = null;
        }
        if (Boolean.FALSE.equals(dhcpSendHostname)) {
            dhcpCustomHostname = null;
        }
    }

    private void sanitizeV6(boolean desired) throws NmstateException {
        if (addresses != null) {
            if (desired) {
                for (Addr a : addresses) {
                    if (!a.ip().v6()) {
                        throw NmstateException.invalid("Got IPv4 address " + a + " in ipv6 config section");
                    }
                }
                for (Addr a : addresses) {
                    if (a.prefix() > 128) {
                        throw NmstateException.invalid("Invalid IPv6 network prefix length '" + a.prefix()
                                + "', should be in the range of 0 to 128");
                    }
                }
            }
            addresses.removeIf(Addr::auto);
        }
        if (auto()) {
            defaultAutoFlags();
        }
        if (addresses != null) {
            addresses.removeIf(a -> !a.ip().v6() || a.ip().linkLocal());
        }
        if (!enabled) {
            dhcp = null;
            autoconf = null;
            addresses = null;
        }
        if (!auto()) {
            clearAutoFlags();
            dhcpSendHostname = null;
            dhcpCustomHostname = null;
        }
        if (token != null) {
            if (desired && Boolean.FALSE.equals(autoconf) && !(token.isEmpty() || token.equals("::"))) {
                throw NmstateException.invalid("Desired IPv6 token '" + token + "' cannot be applied with IPv6 autoconf"
                        + " disabled, you may remove IPv6 token by setting as empty string or `::`");
            }
            token = sanitizeToken(token);
        }
        if (Boolean.FALSE.equals(dhcpSendHostname)) {
            dhcpCustomHostname = null;
        }
    }

    /** {@code ::0.0.250.193} → {@code ::fac1}: printed as Rust prints the address after a 2001:db8:: prefix. */
    private static String sanitizeToken(String token) throws NmstateException {
        if (token.isEmpty()) {
            return "::";
        }
        IpAddress ip = IpAddress.parseV6(token);
        if (ip == null) {
            throw NmstateException.invalid("Desired IPv6 token '" + token + "' is not a valid IPv6 address: invalid IPv6"
                    + " address syntax");
        }
        byte[] b = ip.bytes().clone();
        for (int i = 0; i < 8; i++) {
            if (b[i] != 0) {
                throw NmstateException.invalid("Desired IPv6 token should be lead by 64 bits 0. But got " + token);
            }
        }
        b[0] = 0x20;
        b[1] = 0x01;
        b[2] = 0x0d;
        b[3] = (byte) 0xb8;
        return new IpAddress(b).toString().substring("2001:db8".length());
    }

    private void defaultAutoFlags() {
        if (autoDns == null) {
            autoDns = true;
        }
        if (autoRoutes == null) {
            autoRoutes = true;
        }
        if (autoGateway == null) {
            autoGateway = true;
        }
    }

    private void clearAutoFlags() {
        autoDns = null;
        autoGateway = null;
        autoRoutes = null;
        autoTableId = null;
        autoRouteMetric = null;
    }

    IpConfig copy() {
        IpConfig c = new IpConfig(v6);
        c.enabled = enabled;
        c.enabledDefined = enabledDefined;
        c.dhcp = dhcp;
        c.autoconf = autoconf;
        c.dhcpClientId = dhcpClientId;
        c.dhcpDuid = dhcpDuid;
        c.addresses = addresses == null ? null : new ArrayList<>(addresses);
        c.autoDns = autoDns;
        c.autoGateway = autoGateway;
        c.autoRoutes = autoRoutes;
        c.autoTableId = autoTableId;
        c.autoRouteMetric = autoRouteMetric;
        c.addrGenMode = addrGenMode;
        c.allowExtraAddress = allowExtraAddress;
        c.token = token;
        c.dhcpSendHostname = dhcpSendHostname;
        c.dhcpCustomHostname = dhcpCustomHostname;
        c.dns = dns;
        c.rules = rules == null ? null : new ArrayList<>(rules);
        return c;
    }

    /** A loopback's address, as nmstate's implicit current {@code lo} holds it. */
    static IpConfig loopback(boolean v6) {
        IpConfig c = new IpConfig(v6);
        c.enabled = true;
        c.enabledDefined = true;
        c.addresses = new ArrayList<>(List.of(new Addr(IpAddress.parse(v6 ? "::1" : "127.0.0.1"), v6 ? 128 : 8,
                null, null, null)));
        return c;
    }
}
