package io.metal3.icc.nmstate;

import java.util.List;
import java.util.Map;

/** {@code type: vlan}: id, base interface, protocol (802.1q/802.1ad) and the [vlan] flags. */
final class VlanIface extends Iface {

    static final List<String> PROTOCOLS = List.of("802.1q", "802.1ad");

    boolean vlanGiven;
    String baseIface;
    Long id;
    String protocol;
    String registrationProtocol;
    Boolean reorderHeaders;
    Boolean looseBinding;

    VlanIface(Map<String, Object> raw) {
        super(raw, IfaceType.VLAN);
    }

    @Override
    void readOwn(Fields f) throws NmstateException {
        Object v = f.raw("vlan");
        if (v == null) {
            return;
        }
        vlanGiven = true;
        Fields c = Fields.of(v, "VlanConfig", f.errors());
        baseIface = Text.checked(c.string("base-iface"), "vlan base-iface");
        id = c.requiredUintOrString("id", Fields.U16);
        protocol = c.variant("protocol", PROTOCOLS);
        registrationProtocol = c.variant("registration-protocol", List.of("gvrp", "mvrp", "none"));
        reorderHeaders = c.bool("reorder-headers");
        looseBinding = c.bool("loose-binding");
        c.done();
    }

    @Override
    String parent() {
        return vlanGiven ? baseIface : null;
    }

    @Override
    void sanitizeOwn(boolean desired) throws NmstateException {
        if (vlanGiven && desired && baseIface == null) {
            throw NmstateException.invalid("Missing 'vlan.base-iface' for interface '" + name + "'");
        }
    }

    @Override
    void writeOwn(NmConnection c, Profiles p, MergedIface mi) {
        if (!vlanGiven) {
            return;
        }
        c.section("vlan");
        c.set("vlan", "id", id);
        c.set("vlan", "parent", baseIface);
        if ("802.1ad".equals(protocol)) {
            c.set("vlan", "protocol", "802.1ad");
        }
        int flags = 0;
        if ("gvrp".equals(registrationProtocol)) {
            flags |= 2;
        } else if ("mvrp".equals(registrationProtocol)) {
            flags |= 8;
        }
        if (Boolean.TRUE.equals(reorderHeaders)) {
            flags |= 1;
        }
        if (Boolean.TRUE.equals(looseBinding)) {
            flags |= 4;
        }
        c.set("vlan", "flags", flags);
    }
}
