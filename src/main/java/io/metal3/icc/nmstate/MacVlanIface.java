package io.metal3.icc.nmstate;

import java.util.List;
import java.util.Map;

/** {@code type: mac-vlan} and {@code type: mac-vtap}: base interface, mode and promiscuity ([macvlan]). */
final class MacVlanIface extends Iface {

    static final List<String> MODES = List.of("vepa", "bridge", "private", "passthru", "source", "unknown");

    boolean configGiven;
    String baseIface;
    String mode;
    Boolean promiscuous;

    MacVlanIface(Map<String, Object> raw, IfaceType type) {
        super(raw, type);
    }

    private String section() {
        return type == IfaceType.MAC_VTAP ? "mac-vtap" : "mac-vlan";
    }

    @Override
    void readOwn(Fields f) throws NmstateException {
        Object v = f.raw(section());
        if (v == null) {
            return;
        }
        configGiven = true;
        Fields c = Fields.of(v, type == IfaceType.MAC_VTAP ? "MacVtapConfig" : "MacVlanConfig", f.errors());
        baseIface = Text.checked(c.requiredString("base-iface"), section() + " base-iface");
        mode = c.requiredVariant("mode", MODES);
        promiscuous = c.boolOrString("promiscuous", "accept-all-mac");
        c.done();
    }

    @Override
    String parent() {
        return configGiven ? baseIface : null;
    }

    @Override
    void sanitizeOwn(boolean desired) throws NmstateException {
        if (desired && configGiven && Boolean.FALSE.equals(promiscuous) && !mode.equals("passthru")) {
            throw NmstateException.invalid("Disable accept-all-mac-addresses(promiscuous) is only allowed on passthru"
                    + " mode");
        }
    }

    @Override
    void writeOwn(NmConnection c, Profiles p, MergedIface mi) {
        if (!configGiven) {
            return;
        }
        c.section("macvlan");
        c.set("macvlan", "mode", switch (mode) {
            case "vepa" -> 1;
            case "bridge" -> 2;
            case "private" -> 3;
            case "passthru" -> 4;
            case "source" -> 5;
            default -> 0;
        });
        c.set("macvlan", "parent", baseIface);
        c.set("macvlan", "tap", type == IfaceType.MAC_VTAP);
        c.set("macvlan", "promiscuous", promiscuous);
    }
}
