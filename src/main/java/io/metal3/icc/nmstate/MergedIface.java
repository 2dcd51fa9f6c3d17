package io.metal3.icc.nmstate;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One interface in the roles nmstate gives it (MergedInterface): as desired, as it exists now (gc
 * knows only {@code lo}), merged (desired over current, not cleaned up: nmstate reads ports'
 * bridge settings and DNS validity from it) and to apply (cleaned up; the keyfile is written from
 * it). Each role is its own copy, read from the same YAML.
 */
final class MergedIface {

    final Map<String, Object> raw;
    final Iface desired;
    final Iface current;
    Iface merged;
    Iface forApply;

    private MergedIface(Map<String, Object> raw, Iface desired, Iface current, Iface merged, Iface forApply) {
        this.raw = raw;
        this.desired = desired;
        this.current = current;
        this.merged = merged;
        this.forApply = forApply;
    }

    /** A desired interface; {@code current} is gc's loopback when the desired one is {@code lo}. */
    static MergedIface desired(Iface desired, Iface current, IfaceReader reader) throws NmstateException {
        Iface merged = reader.read();
        if (current != null && desired instanceof VxlanIface v && v.vxlanGiven && v.dstPort == null) {
            // nmstate merges through JSON, and a VXLAN without a port is written with a null it cannot read back.
            throw NmstateException.invalid("Invalid propriety: invalid type: null, expected unsigned integer or string");
        }
        if (current != null && !desired.absent()) {
            // A removed interface keeps only its name, type and state, merged or not.
            mergeCurrent(merged, desired, current);
        }
        MergedIface m = new MergedIface(desired.raw, desired, current, merged, reader.read());
        if (m.merged.up() && desired instanceof OvsBridgeIface) {
            m.ovsSelfPortIfEmpty();
        }
        return m;
    }

    /** An interface created by nmstate itself (an OVS internal interface a bridge names). */
    static MergedIface created(Iface desired, Iface merged, Iface forApply) {
        return new MergedIface(desired.raw, desired, null, merged, forApply);
    }

    static MergedIface currentOnly(Iface current) {
        return new MergedIface(null, null, current, current, null);
    }

    /** Reads a fresh copy of the desired interface. */
    interface IfaceReader {
        Iface read() throws NmstateException;
    }

    /** JSON merge of desired over gc's loopback, then nmstate's IP special merge. */
    private static void mergeCurrent(Iface merged, Iface desired, Iface current) throws NmstateException {
        merged.ipv4 = mergeIp(merged.ipv4, desired.ipv4, current.ipv4);
        merged.ipv6 = mergeIp(merged.ipv6, desired.ipv6, current.ipv6);
    }

    private static IpConfig mergeIp(IpConfig merged, IpConfig desired, IpConfig current) throws NmstateException {
        if (current == null) {
            return merged;
        }
        if (merged == null) {
            return current.copy();
        }
        if (!desired.enabledDefined) {
            merged.enabled = current.enabled;
            merged.enabledDefined = current.enabledDefined;
        }
        if (merged.addresses == null && current.addresses != null) {
            merged.addresses = new java.util.ArrayList<>(current.addresses);
        }
        if (desired.dhcp == null && merged.enabled) {
            merged.dhcp = current.dhcp;
        }
        merged.sanitize(false);
        return merged;
    }

    /** An OVS bridge cannot live without ports: nmstate gives it an internal interface of its own name. */
    private void ovsSelfPortIfEmpty() {
        OvsBridgeIface m = (OvsBridgeIface) merged;
        java.util.List<String> ports = m.ports();
        if (ports == null || ports.isEmpty()) {
            m.addSelfPort();
            ((OvsBridgeIface) forApply).addSelfPort();
            ((OvsBridgeIface) desired).addSelfPort();
        }
    }

    private Set<String> desiredPorts;

    /** The desired port names as a set (asked once per port: a bridge may have tens of thousands). */
    Set<String> desiredPortSet() {
        if (desiredPorts == null) {
            List<String> ports = desired.portsOrNone();
            if (ports == null) {
                return null;
            }
            desiredPorts = new HashSet<>(ports);
        }
        return desiredPorts;
    }

    boolean isDesired() {
        return desired != null;
    }

    boolean isChanged() {
        return forApply != null;
    }

    /** nmstate's mark_as_changed: a current-only interface gets a profile of name and type only. */
    void markAsChanged() {
        if (desired == null && current != null && forApply == null) {
            LoopbackIface lo = new LoopbackIface(Map.of("name", current.name, "type", current.type.yaml));
            lo.name = current.name;
            forApply = lo;
        }
    }

    Iface iface() {
        return merged;
    }

    String name() {
        return merged.name;
    }

    @Override
    public String toString() {
        return merged.toString();
    }
}
