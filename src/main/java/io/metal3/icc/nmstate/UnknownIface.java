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
        boolean named = f.key("name") != null;
        Object n = raw.get("name");
        if (named && !(n instanceof String)) {
            throw errors.error("invalid type: " + Yaml.describe(n) + ", expected a string");
        }
        name = named ? Text.name((String) n, "interface name") : null;
        String st = f.variant("state", State.NAMES);
        state = st == null ? State.UP : State.valueOf(st.toUpperCase(java.util.Locale.ROOT));
        if (!named) {
            throw errors.error("missing field `name`");
        }
    }

    @Override
    void readOwn(Fields f) {
    }
}
