package io.metal3.icc.nmstate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code type: ethernet} and {@code type: veth}: link settings ({@code ethernet:} auto-negotiation,
 * speed, duplex), SR-IOV ({@code ethernet.sr-iov}: VF count, driver autoprobe, per-VF settings) and
 * a veth's peer.
 */
final class EthernetIface extends Iface {

    record Vf(long id, String mac, Boolean spoofCheck, Boolean trust, Long minTxRate, Long maxTxRate, Long vlanId,
              Long qos, String vlanProto) {
    }

    /** {@code ethernet:} was given (nmstate writes link settings only from it). */
    boolean ethernetGiven;
    Boolean autoNeg;
    Long speed;
    String duplex;
    boolean sriovGiven;
    Boolean driversAutoprobe;
    Long totalVfs;
    List<Vf> vfs;
    String vethPeer;

    EthernetIface(Map<String, Object> raw, IfaceType type) {
        super(raw, type);
    }

    /** An ethernet port a controller names but the state does not list: nmstate assumes it exists. */
    static EthernetIface placeholder(String name) {
        EthernetIface e = new EthernetIface(Map.of("name", name, "type", "ethernet"), IfaceType.ETHERNET);
        e.name = name;
        return e;
    }

    @Override
    void readOwn(Fields f) throws NmstateException {
        Fields.Errors e = f.errors();
        Object eth = f.raw("ethernet");
        if (eth != null) {
            ethernetGiven = true;
            Fields ef = Fields.of(eth, "EthernetConfig", e);
            Object sriov = ef.raw("sr-iov");
            if (sriov != null) {
                readSriov(Fields.of(sriov, "SrIovConfig", e));
            }
            autoNeg = ef.boolOrString("auto-negotiation");
            speed = ef.uintOrString("speed", Fields.U32);
            duplex = ef.variant("duplex", List.of("full", "half"));
            ef.done();
        }
        Object veth = f.raw("veth");
        if (veth != null) {
            Fields vf = Fields.of(veth, "VethConfig", e);
            vethPeer = Text.name(vf.requiredString("peer"), "veth peer");
            vf.finish();
        }
    }

    private void readSriov(Fields s) throws NmstateException {
        Fields.Errors e = s.errors();
        sriovGiven = true;
        driversAutoprobe = s.boolOrString("drivers-autoprobe");
        totalVfs = s.uintOrString("total-vfs", Fields.U32);
        Object list = s.raw("vfs");
        s.done();
        if (list == null) {
            return;
        }
        vfs = new ArrayList<>();
        for (Object o : Fields.list(list, e)) {
            Fields v = Fields.of(o, "SrIovVfConfig", e);
            Long id = v.requiredUintOrString("id", Fields.U32);
            v.string("iface-name");
            String mac = Text.checked(v.string("mac-address"), "sr-iov VF mac-address");
            Boolean spoof = v.boolOrString("spoof-check");
            Boolean trust = v.boolOrString("trust");
            Long minRate = v.uintOrString("min-tx-rate", Fields.U32);
            Long maxRate = v.uintOrString("max-tx-rate", Fields.U32);
            Long vlanId = v.uintOrString("vlan-id", Fields.U32);
            Long qos = v.uintOrString("qos", Fields.U32);
            String proto = v.variant("vlan-proto", VlanIface.PROTOCOLS);
            v.done();
            vfs.add(new Vf(id, mac, spoof, trust, minRate, maxRate, vlanId, qos, proto));
        }
    }

    @Override
    void sanitizeOwn(boolean desired) throws NmstateException {
        type = IfaceType.ETHERNET;
        if (vfs != null) {
            List<Vf> out = new ArrayList<>();
            for (Vf vf : vfs) {
                if ("802.1ad".equals(vf.vlanProto()) && (vf.vlanId() == null || vf.vlanId() == 0)
                        && (vf.qos() == null || vf.qos() == 0)) {
                    throw NmstateException.invalid("VLAN protocol 802.1ad is not allowed when both VLAN ID and VLAN QoS"
                            + " are zero or unset");
                }
                out.add(new Vf(vf.id(), vf.mac() == null ? null : vf.mac().toUpperCase(Locale.ROOT), vf.spoofCheck(),
                        vf.trust(), vf.minTxRate(), vf.maxTxRate(), vf.vlanId(), vf.qos(), vf.vlanProto()));
            }
            out.sort(Comparator.comparingLong(Vf::id));
            vfs = out;
        }
    }

    @Override
    String nmType() throws NmstateException {
        return vethPeer != null ? "veth" : super.nmType();
    }

    @Override
    void writeOwn(NmConnection c, Profiles p, MergedIface mi) throws NmstateException {
        if (vethPeer != null) {
            c.put("veth", "peer", vethPeer);
            p.vethPeer(vethPeer, name);
        }
        writeSriov(c);
    }

    /** The [ethernet] keys only an ethernet link has; the rest of that section is shared. */
    void writeLink(NmConnection c) {
        if (!ethernetGiven || autoNeg == null) {
            return;
        }
        c.put("ethernet", "auto-negotiate", autoNeg);
        if (autoNeg) {
            c.set("ethernet", "speed", null);
            c.set("ethernet", "duplex", null);
        } else {
            if (speed != null) {
                c.set("ethernet", "speed", speed);
            }
            if (duplex != null) {
                c.set("ethernet", "duplex", duplex);
            }
        }
    }

    private void writeSriov(NmConnection c) {
        if (!sriovGiven || Long.valueOf(0).equals(totalVfs)) {
            return;
        }
        c.section("sriov");
        if (totalVfs != null) {
            c.set("sriov", "total-vfs", totalVfs);
        }
        if (driversAutoprobe != null) {
            c.set("sriov", "autoprobe-drivers", driversAutoprobe ? 1 : 0);
        }
        if (vfs != null) {
            for (Vf vf : vfs) {
                StringBuilder v = new StringBuilder();
                if (vf.mac() != null) {
                    v.append("mac=").append(vf.mac()).append(' ');
                }
                if (vf.spoofCheck() != null) {
                    v.append("spoof-check=").append(vf.spoofCheck()).append(' ');
                }
                if (vf.trust() != null) {
                    v.append("trust=").append(vf.trust()).append(' ');
                }
                if (vf.minTxRate() != null) {
                    v.append("min-tx-rate=").append(vf.minTxRate()).append(' ');
                }
                if (vf.maxTxRate() != null) {
                    v.append("max-tx-rate=").append(vf.maxTxRate()).append(' ');
                }
                if (vf.vlanId() != null) {
                    long qos = vf.qos() == null ? 0 : vf.qos();
                    v.append("vlans=").append(vf.vlanId()).append('.').append(qos)
                            .append("802.1ad".equals(vf.vlanProto()) ? ".ad" : ".q");
                }
                String s = v.toString();
                c.set("sriov", "vf." + vf.id(), s.endsWith(" ") ? s.substring(0, s.length() - 1) : s);
            }
        }
    }
}
