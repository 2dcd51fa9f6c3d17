package io.metal3.icc.nmstate;

import java.util.List;
import java.util.Map;

/**
 * {@code type: ipvlan}: base interface, mode (l2, l3, l3s), private and VEPA flags, checked as
 * nmstate checks them; nmstate 2.2's keyfile writer has no [ipvlan] section.
 */
final class IpvlanIface extends Iface {

    Boolean isPrivate;
    Boolean vepa;

    IpvlanIface(Map<String, Object> raw) {
        super(raw, IfaceType.IPVLAN);
    }

    @Override
    void readOwn(Fields f) throws NmstateException {
        Object v = f.raw("ipvlan");
        if (v == null) {
            return;
        }
        Fields c = Fields.of(v, "IpVlanConfig", f.errors());
        Text.checked(c.string("base-iface"), "ipvlan base-iface");
        c.variant("mode", List.of("l2", "l3", "l3s"));
        isPrivate = c.boolOrString("private");
        vepa = c.boolOrString("vepa");
        c.done();
    }

    @Override
    void sanitizeOwn(boolean desired) throws NmstateException {
        if (desired && Boolean.TRUE.equals(isPrivate) && Boolean.TRUE.equals(vepa)) {
            throw NmstateException.invalid("Both private and VEPA flags cannot be enabled at the same time");
        }
    }
}
