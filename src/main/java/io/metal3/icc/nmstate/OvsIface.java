package io.metal3.icc.nmstate;

import java.util.List;
import java.util.Map;

/**
 * {@code type: ovs-interface}: an OVS internal interface, a patch port ({@code patch.peer}) or a
 * DPDK port ({@code dpdk}: devargs, rx-queue, n_rxq_desc, n_txq_desc), profiled as
 * {@code NAME-if} under its ovs-port.
 */
final class OvsIface extends Iface {

    String patchPeer;
    String devargs;
    Long rxQueue;
    Long rxqDesc;
    Long txqDesc;
    boolean dpdkGiven;

    OvsIface(Map<String, Object> raw) {
        super(raw, IfaceType.OVS_INTERFACE);
    }

    /** An internal interface nmstate creates for a bridge that names it as a port. */
    static OvsIface internal(String name, String bridge) {
        OvsIface i = new OvsIface(new java.util.LinkedHashMap<>(Map.of("name", name, "type", "ovs-interface")));
        i.name = name;
        i.controller = bridge;
        i.controllerType = IfaceType.OVS_BRIDGE;
        return i;
    }

    @Override
    void readOwn(Fields f) throws NmstateException {
        Fields.Errors e = f.errors();
        Object patch = f.raw("patch");
        if (patch != null) {
            Fields p = Fields.of(patch, "OvsPatchConfig", e);
            patchPeer = Text.checked(p.requiredString("peer"), "ovs patch peer");
            p.done();
        }
        Object dpdk = f.raw("dpdk");
        if (dpdk != null) {
            dpdkGiven = true;
            Fields d = Fields.of(dpdk, "OvsDpdkConfig", e);
            devargs = Text.checked(d.requiredString("devargs"), "ovs dpdk devargs");
            rxQueue = d.uint("rx-queue", Fields.U32, "u32", "n_rxq");
            rxqDesc = d.uint("n_rxq_desc", Fields.U32, "u32");
            txqDesc = d.uint("n_txq_desc", Fields.U32, "u32");
            d.done();
        }
    }

    @Override
    String parent() {
        return controller;
    }

    @Override
    boolean needsController() {
        return true;
    }

    private static final List<Long> POWERS = List.of(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 512L, 1024L, 2048L,
            4096L);

    @Override
    void sanitizeOwn(boolean desired) throws NmstateException {
        if (desired && patchPeer != null) {
            if (mtu != null) {
                throw NmstateException.invalid("OVS patch interface is not allowed to hold MTU configuration, interface"
                        + " name " + name);
            }
            if (ipv4Enabled() || ipv6Enabled()) {
                throw NmstateException.invalid("OVS patch interface is not allowed to hold IP configuration, interface"
                        + " name " + name);
            }
        }
        if (desired && dpdkGiven) {
            queue(rxqDesc, "n_rxq_desc");
            queue(txqDesc, "n_txq_desc");
        }
    }

    private static void queue(Long n, String prop) throws NmstateException {
        if (n != null && n != 0 && !POWERS.contains(n)) {
            throw NmstateException.invalid("OVS DPDK " + prop + " must power of 2 within range of 1 to 4096. Setting to 0"
                    + " if you want to remove this setting from OVS database. But got " + n);
        }
    }

    @Override
    void writeOwn(NmConnection c, Profiles p, MergedIface mi) {
        if (patchPeer != null) {
            c.put("ovs-interface", "type", "patch");
            c.put("ovs-patch", "peer", patchPeer);
        } else if (dpdkGiven && !devargs.isEmpty()) {
            c.put("ovs-interface", "type", "dpdk");
            c.put("ovs-dpdk", "devargs", devargs);
            c.set("ovs-dpdk", "n-rxq", rxQueue);
            c.set("ovs-dpdk", "n-rxq-desc", rxqDesc);
            c.set("ovs-dpdk", "n-txq-desc", txqDesc);
        }
        if (!c.has("ovs-interface")) {
            c.put("ovs-interface", "type", "internal");
        }
    }
}
