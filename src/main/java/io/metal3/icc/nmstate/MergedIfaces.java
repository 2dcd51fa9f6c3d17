package io.metal3.icc.nmstate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * All interfaces as nmstate's gc sees them (MergedInterfaces in gen_conf mode): the desired ones,
 * with unknown types and undefined ports made ethernet and ignored interfaces dropped, merged with
 * the only current interface gc knows ({@code lo}); then the work across interfaces: MAC copies,
 * controllers and ports, activation order, and each interface's own checks and clean-up.
 */
final class MergedIfaces {

    /** An interface name with the type it was listed under (nmstate's insert order). */
    record Listed(String name, IfaceType type) {
    }

    final Map<String, MergedIface> kernel = new LinkedHashMap<>();
    /** User-space interfaces (OVS bridges, IPsec) by name and type. */
    final Map<Listed, MergedIface> user = new LinkedHashMap<>();
    final List<Listed> insertOrder = new ArrayList<>();
    final List<Listed> ignored = new ArrayList<>();

    MergedIface kernel(String name) {
        return kernel.get(name);
    }

    /** nmstate's get_iface: by name and type; UNKNOWN looks up kernel then user interfaces by name. */
    MergedIface get(String name, IfaceType type) {
        if (type == null || type == IfaceType.UNKNOWN) {
            MergedIface k = kernel.get(name);
            if (k != null) {
                return k;
            }
            for (MergedIface u : user.values()) {
                if (u.name().equals(name)) {
                    return u;
                }
            }
            return null;
        }
        return type.userspace ? user.get(new Listed(name, type)) : kernel.get(name);
    }

    List<MergedIface> all() {
        List<MergedIface> out = new ArrayList<>(user.values());
        out.addAll(kernel.values());
        return out;
    }

    /** A listed interface as the desired state holds it, with the raw YAML it is read from. */
    private record Desired(Iface iface, Map<String, Object> raw, Fields.Errors errors) {
    }

    /**
     * @param listed the interfaces in document order (each already read once, which is when their
     *               YAML errors are reported)
     */
    static MergedIfaces build(List<Iface> listed, Fields.Errors errors) throws NmstateException {
        MergedIfaces m = new MergedIfaces();
        Map<String, Desired> kernel = new LinkedHashMap<>();
        Map<Listed, Desired> user = new LinkedHashMap<>();
        for (Iface i : listed) {
            m.insertOrder.add(new Listed(i.name, i.type == IfaceType.VETH ? IfaceType.ETHERNET : i.type));
            if (i.userspace()) {
                user.put(new Listed(i.name, i.type), new Desired(i, i.raw, errors));
            } else {
                kernel.remove(i.name); // a later entry for the same name replaces it, in its own place
                kernel.put(i.name, new Desired(i, i.raw, errors));
            }
        }
        // gc has no system to ask: an interface without a known type is ethernet.
        for (Map.Entry<String, Desired> e : kernel.entrySet()) {
            if (e.getValue().iface() instanceof UnknownIface u) {
                Map<String, Object> raw = new LinkedHashMap<>(u.raw);
                raw.put("type", "ethernet");
                Fields.Errors asEthernet = msg -> NmstateException.invalid("Invalid property for ethernet interface: " + msg);
                e.setValue(new Desired(Iface.parse(raw, asEthernet), raw, asEthernet));
            }
        }
        // So is a port named by a controller but not listed.
        Set<String> missing = new java.util.LinkedHashSet<>();
        for (Desired d : concat(kernel.values(), user.values())) {
            List<String> ports = d.iface().portsOrNone();
            if (ports != null) {
                for (String p : ports) {
                    if (!kernel.containsKey(p)) {
                        missing.add(p);
                    }
                }
            }
        }
        for (String p : missing) {
            kernel.put(p, new Desired(EthernetIface.placeholder(p), null, errors));
        }
        // Ignored interfaces are left alone, and so are they in their controllers' port lists.
        Set<String> ignoredKernel = new HashSet<>();
        for (Map.Entry<Listed, Desired> e : user.entrySet()) {
            if (e.getValue().iface().ignore()) {
                m.ignored.add(e.getKey());
            }
        }
        for (Map.Entry<String, Desired> e : kernel.entrySet()) {
            if (e.getValue().iface().ignore()) {
                IfaceType t = e.getValue().iface().type;
                m.ignored.add(new Listed(e.getKey(), t == IfaceType.VETH ? IfaceType.ETHERNET : t));
                ignoredKernel.add(e.getKey());
            }
        }
        for (Listed l : m.ignored) {
            if (l.type().userspace) {
                user.remove(l);
            } else {
                kernel.remove(l.name());
            }
        }
        Iface lo = LoopbackIface.current();
        boolean loIgnored = ignoredKernel.contains("lo");
        for (Map.Entry<String, Desired> e : kernel.entrySet()) {
            Desired d = e.getValue();
            Iface current = e.getKey().equals("lo") && !loIgnored ? lo : null;
            if (current != null) {
                lo = null;
            }
            m.kernel.put(e.getKey(), MergedIface.desired(withoutIgnored(d, ignoredKernel), current,
                    () -> withoutIgnored(reread(d), ignoredKernel)));
        }
        for (Map.Entry<Listed, Desired> e : user.entrySet()) {
            Desired d = e.getValue();
            m.user.put(e.getKey(), MergedIface.desired(withoutIgnored(d, ignoredKernel), null,
                    () -> withoutIgnored(reread(d), ignoredKernel)));
        }
        if (lo != null && !loIgnored) {
            m.kernel.put("lo", MergedIface.currentOnly(lo));
        }
        m.process();
        return m;
    }

    private static Iface withoutIgnored(Desired d, Set<String> ignoredKernel) {
        return withoutIgnored(d.iface(), ignoredKernel);
    }

    private static Iface withoutIgnored(Iface i, Set<String> ignoredKernel) {
        if (i.isController() && !ignoredKernel.isEmpty()) {
            for (String p : ignoredKernel) {
                if (i instanceof BondIface b) {
                    b.removePort(p);
                } else if (i instanceof LinuxBridgeIface b) {
                    b.removePort(p);
                } else if (i instanceof OvsBridgeIface b) {
                    b.removePort(p);
                }
            }
        }
        return i;
    }

    private static Iface reread(Desired d) throws NmstateException {
        return d.raw() == null ? EthernetIface.placeholder(d.iface().name) : Iface.parse(d.raw(), d.errors());
    }

    private static <T> List<T> concat(java.util.Collection<? extends T> a, java.util.Collection<? extends T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    // ---- nmstate's MergedInterfaces::process ------------------------------------------------------

    private void process() throws NmstateException {
        applyCopyMacFrom();
        validateControllerNotInPortList();
        validateControllerInOtherPortList();
        handleChangedPorts();
        resolvePortControllerType();
        setUpPriority();
        checkOverbookedPorts();
        checkInfinibandPorts();
        markOrphansAbsent();
        for (MergedIface i : kernel.values()) {
            if (i.isDesired() && i.forApply != null && i.forApply.dispatch) {
                throw NmstateException.invalid("Dispatch script is not supported in gc(gen_conf) mode");
            }
        }
        for (MergedIface i : concat(kernel.values(), user.values())) {
            if (i.isChanged()) {
                postProcess(i);
            }
        }
    }

    private static final Set<IfaceType> COPY_MAC_TYPES = Set.of(IfaceType.BOND, IfaceType.LINUX_BRIDGE,
            IfaceType.OVS_INTERFACE);

    private void applyCopyMacFrom() throws NmstateException {
        Map<String, String> pending = new LinkedHashMap<>();
        for (Map.Entry<String, MergedIface> e : kernel.entrySet()) {
            MergedIface mi = e.getValue();
            if (!mi.isDesired() || !COPY_MAC_TYPES.contains(mi.merged.type) || mi.merged.copyMacFrom == null) {
                continue;
            }
            String src = mi.merged.copyMacFrom;
            MergedIface from = kernel.get(src);
            if (from == null) {
                throw NmstateException.invalid("Failed to find interface " + src + " for copy-mac-from of iface "
                        + e.getKey());
            }
            String perm = from.merged.permanentMac;
            String mac = from.merged.mac;
            if (perm != null && !perm.isEmpty()) {
                pending.put(e.getKey(), perm);
            } else if (mac != null && !mac.isEmpty()) {
                pending.put(e.getKey(), mac);
            } else {
                throw NmstateException.invalid("Failed to find mac address of interface " + src
                        + " for copy-mac-from of iface " + e.getKey());
            }
        }
        for (Map.Entry<String, String> p : pending.entrySet()) {
            Iface apply = kernel.get(p.getKey()).forApply;
            apply.copyMacFrom = null;
            apply.mac = Text.checked(p.getValue(), "copied mac-address");
        }
    }

    /** The controller named by {@code controller:}: an OVS bridge, else a kernel interface. */
    private MergedIface controllerNamed(String name) {
        MergedIface ovs = user.get(new Listed(name, IfaceType.OVS_BRIDGE));
        return ovs != null ? ovs : kernel.get(name);
    }

    private void validateControllerNotInPortList() throws NmstateException {
        for (MergedIface i : kernel.values()) {
            if (!i.isDesired() || !i.merged.up()) {
                continue;
            }
            String ctrl = i.desired.controller;
            if (ctrl == null || ctrl.isEmpty()) {
                continue;
            }
            MergedIface c = controllerNamed(ctrl);
            if (c == null) {
                throw NmstateException.invalid("Interface " + i.name() + " desired controller " + ctrl + " not found");
            }
            if (!c.isDesired()) {
                continue;
            }
            Set<String> ports = c.desiredPortSet();
            if (ports != null && !ports.contains(i.name())) {
                throw NmstateException.invalid("Interface " + i.name() + " has controller " + ctrl
                        + " but not listed in port list of controller interface");
            }
        }
    }

    private void validateControllerInOtherPortList() throws NmstateException {
        Map<String, String> portToCtrl = new HashMap<>();
        for (MergedIface i : all()) {
            if (i.isDesired() && i.merged.up()) {
                List<String> ports = i.merged.portsOrNone();
                if (ports != null) {
                    for (String p : ports) {
                        portToCtrl.put(p, i.name());
                    }
                }
            }
        }
        for (MergedIface i : kernel.values()) {
            if (!i.isDesired() || !i.merged.up() || i.desired.controller == null) {
                continue;
            }
            String want = i.desired.controller;
            String listedBy = portToCtrl.get(i.name());
            if (listedBy != null && !listedBy.equals(want)) {
                if (want.isEmpty()) {
                    throw NmstateException.invalid("Interface " + i.name() + " desired to detach controller via"
                            + " controller property set to '', but still been listed as port of controller " + listedBy
                            + " ");
                }
                throw NmstateException.invalid("Interface " + i.name() + " has controller property set to " + want
                        + ", but been listed as port of controller " + listedBy + " ");
            }
        }
    }

    private record CtrlChange(String ctrl, IfaceType type, Iface.State state) {
    }

    private void handleChangedPorts() throws NmstateException {
        Map<String, CtrlChange> pending = new LinkedHashMap<>();
        for (MergedIface i : all()) {
            if (!i.isDesired() || !i.merged.isController() || i.desired.absent()) {
                continue;
            }
            List<String> ports = i.desired.ports();
            if (ports == null) {
                continue;
            }
            for (String p : ports) {
                pending.put(p, new CtrlChange(i.name(), i.merged.type, i.merged.state));
            }
        }
        for (Map.Entry<String, CtrlChange> e : pending.entrySet()) {
            String port = e.getKey();
            CtrlChange c = e.getValue();
            MergedIface i = kernel.get(port);
            if (i != null) {
                if (!i.isChanged()) {
                    insertOrder.add(new Listed(i.name(), i.merged.type));
                }
                applyControllerChange(i, c.ctrl(), c.type(), c.state());
            } else if (c.type() == IfaceType.OVS_BRIDGE) {
                Iface d = OvsIface.internal(port, c.ctrl());
                MergedIface created = MergedIface.created(d, OvsIface.internal(port, c.ctrl()),
                        OvsIface.internal(port, c.ctrl()));
                kernel.put(port, created);
                insertOrder.add(new Listed(port, IfaceType.OVS_INTERFACE));
            } else if (!c.ctrl().isEmpty()) {
                throw NmstateException.invalid("Controller interface " + c.ctrl() + " is holding unknown port " + port);
            }
        }
    }

    private void applyControllerChange(MergedIface i, String ctrl, IfaceType type, Iface.State state) {
        if (!i.isDesired()) {
            i.markAsChanged();
            if (state == Iface.State.UP) {
                i.merged.state = Iface.State.UP;
                i.forApply.state = Iface.State.UP;
            }
        }
        i.forApply.controller = ctrl;
        i.forApply.controllerType = type;
        i.merged.controller = ctrl;
        i.merged.controllerType = type;
        if (!i.merged.canHaveIp()) {
            i.merged.ipv4 = null;
            i.merged.ipv6 = null;
        }
    }

    private void resolvePortControllerType() throws NmstateException {
        Map<String, CtrlChange> pending = new LinkedHashMap<>();
        for (MergedIface i : kernel.values()) {
            if (!i.isDesired() || !i.merged.up()) {
                continue;
            }
            String ctrl = i.desired.controller;
            if (ctrl == null || i.desired.controllerType != null || ctrl.isEmpty()) {
                continue;
            }
            MergedIface c = controllerNamed(ctrl);
            if (c == null) {
                throw NmstateException.invalid("The controller " + ctrl + " of interface " + i.name() + " does not exists");
            }
            pending.put(i.name(), new CtrlChange(ctrl, c.merged.type, c.merged.state));
        }
        for (Map.Entry<String, CtrlChange> e : pending.entrySet()) {
            CtrlChange c = e.getValue();
            applyControllerChange(kernel.get(e.getKey()), c.ctrl(), c.type(), c.state());
        }
    }

    /** Controllers before their ports, parents before their children (at most four levels, as nmstate). */
    private void setUpPriority() throws NmstateException {
        for (int attempt = 0; attempt < 4; attempt++) {
            if (setUpPriorityOnce()) {
                return;
            }
        }
        throw NmstateException.invalid("Failed to set up priority: nmstate only support nested interface up to 4"
                + " levels. To support more nest level, please order the interfaces in desire state to place controller"
                + " before its ports");
    }

    private boolean setUpPriorityOnce() {
        boolean done = true;
        Map<String, Integer> pending = new LinkedHashMap<>();
        for (Listed l : insertOrder) {
            MergedIface mi = get(l.name(), l.type());
            Iface i = mi == null ? null : mi.forApply;
            if (i == null || !i.up() || i.upPriorityValid()) {
                continue;
            }
            if (i.controller == null || i.controller.isEmpty()) {
                continue;
            }
            MergedIface ctrlMerged = get(i.controller, i.controllerType);
            Iface ctrl = ctrlMerged == null ? null : ctrlMerged.forApply;
            if (ctrl == null) {
                continue;
            }
            Integer ctrlPriority = pending.remove(i.controller);
            if (ctrlPriority != null) {
                pending.put(i.controller, ctrlPriority);
                pending.put(l.name(), ctrlPriority + 1);
            } else if (ctrl.upPriorityValid()) {
                pending.put(l.name(), ctrl.upPriority + 1);
            } else {
                done = false;
            }
        }
        if (done) {
            for (Listed l : insertOrder) {
                MergedIface mi = get(l.name(), l.type());
                Iface i = mi == null ? null : mi.forApply;
                if (i == null || !i.up()) {
                    continue;
                }
                String parent = i.parent();
                if (parent == null) {
                    continue;
                }
                Integer parentPriority = pending.get(parent);
                if (parentPriority != null) {
                    pending.put(l.name(), parentPriority + 1);
                } else {
                    MergedIface p = kernel.get(parent);
                    if (p != null && p.forApply != null && p.forApply.upPriorityValid()) {
                        pending.put(l.name(), p.forApply.upPriority + 1);
                    }
                }
            }
        }
        for (Map.Entry<String, Integer> e : pending.entrySet()) {
            MergedIface mi = kernel.get(e.getKey());
            if (mi != null && mi.forApply != null) {
                mi.forApply.upPriority = e.getValue();
            }
        }
        return done;
    }

    private void checkOverbookedPorts() throws NmstateException {
        Map<String, String> portToCtrl = new HashMap<>();
        for (MergedIface i : all()) {
            if (!i.merged.isController() || !i.merged.up() || !i.isDesired()) {
                continue;
            }
            List<String> ports = i.merged.portsOrNone();
            if (ports == null) {
                continue;
            }
            for (String p : ports) {
                String other = portToCtrl.putIfAbsent(p, i.name());
                if (other != null) {
                    throw NmstateException.invalid("Port " + p + " is overbooked by two controller: " + i.name() + ", "
                            + other);
                }
            }
        }
    }

    private void checkInfinibandPorts() throws NmstateException {
        Set<String> ib = new HashSet<>();
        for (MergedIface i : kernel.values()) {
            if (i.merged.type == IfaceType.INFINIBAND) {
                ib.add(i.name());
            }
        }
        for (MergedIface i : kernel.values()) {
            if (!i.isDesired() || !i.merged.isController()) {
                continue;
            }
            List<String> ports = i.merged.portsOrNone();
            if (ports == null) {
                continue;
            }
            List<String> both = ports.stream().filter(ib::contains).distinct().toList();
            if (!both.isEmpty()) {
                if (i.merged instanceof BondIface b && "active-backup".equals(b.mode)) {
                    continue;
                }
                throw NmstateException.invalid("InfiniBand interface " + both.stream().map(Fields::json).toList()
                        .toString().replace(", ", ", ") + " cannot use as port of " + i.name()
                        + ". Only active-backup bond allowed.");
            }
        }
    }

    private void markOrphansAbsent() throws NmstateException {
        Set<String> gone = new HashSet<>();
        for (MergedIface i : kernel.values()) {
            if (i.isChanged() && i.merged.absent() && i.merged.type != IfaceType.ETHERNET) {
                gone.add(i.name());
            }
        }
        for (MergedIface i : kernel.values()) {
            if (!i.merged.up() || i.merged.type == IfaceType.OVS_INTERFACE) {
                continue;
            }
            String parent = i.merged.parent();
            if (parent != null && gone.contains(parent)) {
                if (i.isDesired()) {
                    throw NmstateException.invalid("Interface " + i.name() + " cannot be in up state as its parent "
                            + parent + " has been marked as absent");
                }
                i.merged.state = Iface.State.ABSENT;
                if (i.forApply != null) {
                    i.forApply.state = Iface.State.ABSENT;
                }
            }
        }
    }

    /** nmstate's merge_ip: what the desired IP section leaves out comes from the existing interface. */
    private static void mergeIp(IpConfig ip, IpConfig current) {
        if (ip == null || current == null) {
            return;
        }
        if (!ip.enabledDefined) {
            ip.enabled = current.enabled;
        }
        if (ip.dhcp == null && ip.enabled) {
            ip.dhcp = current.dhcp;
        }
        if (ip.v6 && ip.autoconf == null && ip.enabled) {
            ip.autoconf = current.autoconf;
        }
    }

    private static void validateWaitIp(Iface i) throws NmstateException {
        if (i.waitIp == null) {
            return;
        }
        if ((i.waitIp.equals("ipv4") || i.waitIp.equals("ipv4+ipv6")) && !i.ipv4Enabled()) {
            throw NmstateException.invalid("Cannot set 'wait-ip: " + i.waitIp + "' with IPv4 disabled. Interface: "
                    + i.name + "(" + i.type + ")");
        }
        if ((i.waitIp.equals("ipv6") || i.waitIp.equals("ipv4+ipv6")) && !i.ipv6Enabled()) {
            throw NmstateException.invalid("Cannot set 'wait-ip: " + i.waitIp + "' with IPv6 disabled. Interface: "
                    + i.name + "(" + i.type + ")");
        }
    }

    /** Kernel interfaces the state marks as ignored: their routes and rules are dropped. */
    Set<String> ignoredKernel() {
        Set<String> out = new HashSet<>();
        for (Listed l : ignored) {
            if (!l.type().userspace) {
                out.add(l.name());
            }
        }
        return out;
    }

    /** nmstate's post_inter_ifaces_process: checks needing one interface's roles, then its clean-up. */
    private static void postProcess(MergedIface i) throws NmstateException {
        Iface apply = i.forApply;
        if (i.current != null) {
            mergeIp(apply.ipv4, i.current.ipv4);
            mergeIp(apply.ipv6, i.current.ipv6);
            validateWaitIp(apply);
            if (!apply.canHaveIp()) {
                apply.waitIp = null;
            }
        }
        Mptcp.validate(apply.mptcpFlags);
        if (i.isDesired() && i.merged.up() && !apply.canHaveIp() && (apply.ipv4Enabled() || apply.ipv6Enabled())) {
            throw NmstateException.invalid("Interface " + apply.name + " cannot have IP enabled as it is attached to a"
                    + " controller where IP is not allowed");
        }
        if (apply instanceof VrfIface v && !i.merged.absent()) {
            v.validate();
        }
        if (apply instanceof BondIface b) {
            b.validate((BondIface) i.merged, i.current != null);
        }
        if (apply instanceof VlanIface v && v.vlanGiven && v.reorderHeaders == null) {
            v.reorderHeaders = true;
        }
        apply.sanitize(true);
    }
}
