package io.metal3.icc.nmstate;

import java.util.Map;

/** {@code type: vxlan}: VNI, base interface, local and remote addresses, destination port, learning. */
final class VxlanIface extends Iface {

    boolean vxlanGiven;
    String baseIface = "";
    Long id;
    Boolean learning;
    IpAddress local;
    IpAddress remote;
    Long dstPort;

    VxlanIface(Map<String, Object> raw) {
        super(raw, IfaceType.VXLAN);
    }

    @Override
    void readOwn(Fields f) throws NmstateException {
        Object v = f.raw("vxlan");
        if (v == null) {
            return;
        }
        vxlanGiven = true;
        Fields.Errors e = f.errors();
        Fields c = Fields.of(v, "VxlanConfig", e);
        String base = c.string("base-iface");
        baseIface = base == null ? "" : Text.checked(base, "vxlan base-iface");
        id = c.requiredUintOrString("id", Fields.U32);
        learning = c.bool("learning");
        local = address(c.raw("local"), e);
        remote = address(c.raw("remote"), e);
        dstPort = c.uintOrString("destination-port", Fields.U16);
        c.done();
    }

    private static IpAddress address(Object v, Fields.Errors e) throws NmstateException {
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw e.error("invalid type: " + Yaml.describe(v) + ", expected IP address");
        }
        IpAddress ip = IpAddress.parse(s);
        if (ip == null) {
            throw e.error("invalid IP address syntax");
        }
        return ip;
    }

    @Override
    String parent() {
        return vxlanGiven && !baseIface.isEmpty() ? baseIface : null;
    }

    @Override
    void writeOwn(NmConnection c, Profiles p, MergedIface mi) {
        if (!vxlanGiven) {
            return;
        }
        c.section("vxlan");
        c.set("vxlan", "id", id);
        if (!baseIface.isEmpty()) {
            c.set("vxlan", "parent", baseIface);
        }
        c.set("vxlan", "learning", learning);
        c.set("vxlan", "local", local);
        c.set("vxlan", "remote", remote);
        c.set("vxlan", "destination-port", dstPort);
    }
}
