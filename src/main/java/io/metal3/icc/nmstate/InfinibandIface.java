package io.metal3.icc.nmstate;

import java.util.List;
import java.util.Map;

/** {@code type: infiniband}: IP over InfiniBand, datagram or connected mode, and a P_Key child of a base interface. */
final class InfinibandIface extends Iface {

    boolean ibGiven;
    String mode;
    String baseIface;
    Long pkey;

    InfinibandIface(Map<String, Object> raw) {
        super(raw, IfaceType.INFINIBAND);
    }

    @Override
    void readOwn(Fields f) throws NmstateException {
        Object v = f.raw("infiniband");
        if (v == null) {
            return;
        }
        ibGiven = true;
        Fields c = Fields.of(v, "InfiniBandConfig", f.errors());
        mode = c.requiredVariant("mode", List.of("datagram", "connected"));
        baseIface = Text.checked(c.string("base-iface"), "infiniband base-iface");
        pkey = c.requiredUintOrString("pkey", Fields.U16);
        c.done();
    }

    @Override
    String parent() {
        return ibGiven ? baseIface : null;
    }

    @Override
    void writeOwn(NmConnection c, Profiles p, MergedIface mi) {
        c.section("infiniband");
        if (ibGiven) {
            c.set("infiniband", "parent", baseIface == null || baseIface.isEmpty() ? null : baseIface);
            c.set("infiniband", "p-key", pkey == 0xffff ? null : pkey);
            c.set("infiniband", "transport-mode", mode);
        }
        if (mtu != null) {
            c.set("infiniband", "mtu", Long.toUnsignedString(mtu & 0xffff_ffffL));
        }
    }
}
