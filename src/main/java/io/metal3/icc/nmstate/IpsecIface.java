package io.metal3.icc.nmstate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code type: ipsec}: a Libreswan connection, written as NetworkManager's libreswan VPN profile
 * ([vpn] data; the pre-shared key in [vpn-secrets]). The key stays out of every message.
 */
final class IpsecIface extends Iface {

    /** Libreswan's settings in nmstate's order: YAML key → value as written; {@code psk} apart. */
    Map<String, String> data;
    String psk;

    IpsecIface(Map<String, Object> raw) {
        super(raw, IfaceType.IPSEC);
    }

    @Override
    void readOwn(Fields f) throws NmstateException {
        Object v = f.raw("libreswan");
        if (v == null) {
            return;
        }
        Fields.Errors e = f.errors();
        Fields c = Fields.of(v, "LibreswanConfig", e);
        Map<String, String> d = new LinkedHashMap<>();
        d.put("right", text(c.requiredString("right"), "right"));
        for (String k : List.of("rightid", "rightrsasigkey", "rightcert", "left", "leftid", "leftrsasigkey", "leftcert",
                "ikev2")) {
            put(d, k, c.string(k));
        }
        psk = c.secretString("psk");
        if (psk != null && psk.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            throw NmstateException.invalid("Invalid libreswan psk of interface " + name
                    + ": control characters are not allowed (value not shown)");
        }
        for (String k : List.of("ikelifetime", "salifetime", "ike", "esp")) {
            put(d, k, c.string(k));
        }
        Long dpddelay = c.uintOrString("dpddelay", Fields.U64_ALL);
        Long dpdtimeout = c.uintOrString("dpdtimeout", Fields.U64_ALL);
        put(d, "dpddelay", dpddelay == null ? null : Long.toUnsignedString(dpddelay));
        put(d, "dpdtimeout", dpdtimeout == null ? null : Long.toUnsignedString(dpdtimeout));
        put(d, "dpdaction", c.string("dpdaction"));
        String k = c.key("ipsec-interface");
        if (k != null) {
            put(d, "ipsec-interface", ipsecInterface(c.map().get(k), e));
        }
        put(d, "authby", c.string("authby"));
        put(d, "rightsubnet", c.string("rightsubnet"));
        put(d, "leftsubnet", c.string("leftsubnet"));
        Boolean modecfg = c.bool("leftmodecfgclient");
        put(d, "type", c.variant("type", List.of("tunnel", "transport")));
        put(d, "hostaddrfamily", c.variant("hostaddrfamily", List.of("ipv4", "ipv6")));
        put(d, "clientaddrfamily", c.variant("clientaddrfamily", List.of("ipv4", "ipv6")));
        Boolean requireId = c.bool("require-id-on-certificate");
        c.done();
        if (modecfg != null) {
            d.put("leftmodecfgclient", modecfg ? "yes" : "no");
        }
        if (requireId != null) {
            d.put("require-id-on-certificate", requireId ? "yes" : "no");
        }
        data = d;
    }

    private static void put(Map<String, String> d, String k, String v) throws NmstateException {
        if (v != null) {
            d.put(k, text(v, k));
        }
    }

    private static String text(String v, String k) throws NmstateException {
        return Text.checked(v, "libreswan " + k);
    }

    private static String ipsecInterface(Object v, Fields.Errors e) throws NmstateException {
        String bad = "Invalid ipsec-interface value, should be unsigned integer, string 'yes' or 'no'";
        if (v instanceof Long l && l >= 0 || v instanceof java.math.BigInteger) {
            return v.toString();
        }
        if (v instanceof String s) {
            if (s.equals("yes") || s.equals("no")) {
                return s;
            }
            String digits = s.startsWith("+") ? s.substring(1) : s;
            if (!digits.isEmpty() && digits.length() <= 10 && digits.chars().allMatch(ch -> ch >= '0' && ch <= '9')
                    && Long.parseLong(digits) <= Fields.U32) {
                return s;
            }
        }
        throw e.error(bad);
    }

    /** nmstate treats IPv4 {@code dhcp: false} with {@code enabled: true} given as IPv4 disabled. */
    @Override
    void sanitizeOwn(boolean desired) {
        if (ipv4 != null && Boolean.FALSE.equals(ipv4.dhcp) && ipv4.enabled && ipv4.enabledDefined) {
            ipv4.enabled = false;
            ipv4.dhcp = null;
        }
    }

    @Override
    void writeOwn(NmConnection c, Profiles p, MergedIface mi) {
        if (data == null) {
            return;
        }
        c.section("vpn");
        data.forEach((k, v) -> c.set("vpn", k, v));
        c.set("vpn", "service-type", "org.freedesktop.NetworkManager.libreswan");
        if (psk != null) {
            c.put("vpn-secrets", "pskvalue", psk);
        }
    }
}
