package io.metal3.icc.nmstate;

import java.util.Map;

/** Types with nothing of their own: {@code dummy}, and {@code xfrm} (which nmstate 2.2's gc refuses). */
final class PlainIface extends Iface {

    PlainIface(Map<String, Object> raw, IfaceType type) {
        super(raw, type);
    }

    @Override
    void readOwn(Fields f) {
    }
}
