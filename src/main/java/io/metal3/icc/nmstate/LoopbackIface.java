package io.metal3.icc.nmstate;

import java.util.Map;

/** {@code type: loopback}: {@code lo}, which must keep both IP families static. */
final class LoopbackIface extends Iface {

    LoopbackIface(Map<String, Object> raw) {
        super(raw, IfaceType.LOOPBACK);
    }

    /** The loopback gc starts from: up, 127.0.0.1/8 and ::1/128. */
    static LoopbackIface current() {
        LoopbackIface lo = new LoopbackIface(new java.util.LinkedHashMap<>(Map.of("name", "lo", "type", "loopback")));
        lo.name = "lo";
        lo.ipv4 = IpConfig.loopback(false);
        lo.ipv6 = IpConfig.loopback(true);
        return lo;
    }

    @Override
    void readOwn(Fields f) {
    }

    @Override
    void sanitizeOwn(boolean desired) throws NmstateException {
        if (!desired) {
            return;
        }
        if (ipv4 != null && !ipv4.enabled) {
            throw NmstateException.invalid("Loopback interface cannot be have IPv4 disabled");
        }
        if (ipv6 != null && !ipv6.enabled) {
            throw NmstateException.invalid("Loopback interface cannot be have IPv6 disabled");
        }
        if (ipv4 != null && ipv4.auto()) {
            throw NmstateException.invalid("Loopback interface cannot be have IPv4 DHCP enabled");
        }
        if (ipv6 != null && ipv6.auto()) {
            throw NmstateException.invalid("Loopback interface cannot be have IPv6 autoconf/DHCPv6 enabled");
        }
    }
}
