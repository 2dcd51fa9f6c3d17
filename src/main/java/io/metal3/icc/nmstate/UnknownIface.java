package io.metal3.icc.nmstate;

import java.util.Map;

/**
 * An interface without a type, or of a type nmstate does not know: only its name and state are
 * read now; gc later reads the whole entry again as ethernet ("Setting unknown type interface … to
 * ethernet"), which is when its other keys are checked.
 */
final class UnknownIface extends Iface {

    UnknownIface(Map<String, Object> raw) {
        super(raw, IfaceType.UNKNOWN);
    }

    @Override
    void read(Fields.Errors errors) throws NmstateException {
        Fields f = Fields.of(raw, "Interface", errors);
        Object n = f.required("name");
        if (!(n instanceof String s)) {
            throw errors.error("invalid type: " + Yaml.describe(n) + ", expected a string");
        }
        name = Text.name(s, "interface name");
        String st = f.variant("state", State.NAMES);
        state = st == null ? State.UP : State.valueOf(st.toUpperCase(java.util.Locale.ROOT));
    }

    @Override
    void readOwn(Fields f) {
    }
}
