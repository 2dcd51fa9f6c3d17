package io.metal3.icc.nmstate;

import java.util.List;
import java.util.Map;

/**
 * {@code type: hsr}: ports, supervision multicast address and protocol (HSR or PRP), read as
 * nmstate reads them; nmstate 2.2's keyfile writer has no [hsr] section.
 */
final class HsrIface extends Iface {

    HsrIface(Map<String, Object> raw) {
        super(raw, IfaceType.HSR);
    }

    @Override
    void readOwn(Fields f) throws NmstateException {
        Object v = f.raw("hsr");
        if (v == null) {
            return;
        }
        Fields.Errors e = f.errors();
        Fields c = Fields.of(v, "HsrConfig", e);
        c.requiredString("port1");
        c.requiredString("port2");
        c.string("supervision-address");
        c.requiredUint("multicast-spec", Fields.U8, "u8");
        c.requiredVariant("protocol", List.of("hsr", "prp"));
        c.finish();
    }
}
