package io.metal3.icc.nmstate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code type: vrf}: route table and ports; ports keep their IP settings (a VRF is a layer-3 controller). */
final class VrfIface extends Iface {

    boolean vrfGiven;
    List<String> port;
    Long tableId;

    VrfIface(Map<String, Object> raw) {
        super(raw, IfaceType.VRF);
    }

    @Override
    void readOwn(Fields f) throws NmstateException {
        Object v = f.raw("vrf");
        if (v == null) {
            return;
        }
        vrfGiven = true;
        Fields c = Fields.of(v, "VrfConfig", f.errors());
        List<String> ports = c.stringList("port", "ports");
        if (ports != null) {
            port = new ArrayList<>();
            for (String p : ports) {
                port.add(Text.name(p, "vrf port name"));
            }
        }
        tableId = c.uintOrString("route-table-id", Fields.U32);
        c.done();
    }

    @Override
    List<String> ports() {
        return vrfGiven ? port : null;
    }

    @Override
    void sanitizeOwn(boolean desired) {
        mac = null;
        if (Boolean.FALSE.equals(acceptAllMac)) {
            acceptAllMac = null;
        }
        if (port != null) {
            port.sort(NmConnection.BYTEWISE);
        }
    }

    /** A new VRF needs a table (gc knows no existing one to take it from). */
    void validate() throws NmstateException {
        if (tableId == null || tableId == 0) {
            throw NmstateException.invalid("Route table ID undefined or 0 is not allowed for new VRF interface " + name);
        }
    }

    @Override
    void writeOwn(NmConnection c, Profiles p, MergedIface mi) {
        if (vrfGiven) {
            c.put("vrf", "table", tableId);
        }
    }
}
