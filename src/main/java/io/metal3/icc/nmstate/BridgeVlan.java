package io.metal3.icc.nmstate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A bridge port's {@code vlan:} (nmstate's BridgePortVlanConfig), shared by Linux bridges and OVS
 * bridges: mode (access or trunk), access tag, trunk tags (single ids and id ranges) and
 * enable-native; with nmstate's checks of the combination.
 */
final class BridgeVlan {

    /** A trunk tag: a single id (min == max, not a range) or an id range. */
    record Tag(int min, int max, boolean range) {
        @Override
        public String toString() {
            return range ? "id-range=[" + min + "," + max + "]" : "id=" + min;
        }
    }

    Boolean enableNative;
    String mode;
    Integer tag;
    List<Tag> trunkTags;

    static BridgeVlan parse(Object raw, Fields.Errors e) throws NmstateException {
        Fields f = Fields.of(raw, "BridgePortVlanConfig", e);
        BridgeVlan v = new BridgeVlan();
        v.enableNative = f.boolOrString("enable-native");
        v.mode = f.variant("mode", List.of("trunk", "access"));
        Long tag = f.uintOrString("tag", Fields.U16);
        v.tag = tag == null ? null : tag.intValue();
        Object tags = f.raw("trunk-tags");
        f.done();
        if (tags != null) {
            v.trunkTags = new ArrayList<>();
            for (Object o : Fields.list(tags, e)) {
                v.trunkTags.add(trunkTag(o, e));
            }
        }
        return v;
    }

    private static Tag trunkTag(Object o, Fields.Errors e) throws NmstateException {
        Map<String, Object> m = o instanceof Map<?, ?> ? Fields.map(o, e) : null;
        if (m != null && m.containsKey("id")) {
            Object id = m.get("id");
            long v;
            if (id instanceof String s) {
                String digits = s.startsWith("+") ? s.substring(1) : s;
                String problem = s.isEmpty() ? "cannot parse integer from empty string"
                        : digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')
                        ? "invalid digit found in string" : null;
                if (problem == null && (digits.length() > 5 || Long.parseLong(digits) > 0xffff)) {
                    problem = "number too large to fit in target type";
                }
                if (problem != null) {
                    throw e.error("Failed to parse BridgePortTrunkTag id " + s + " as u16: " + problem);
                }
                v = Long.parseLong(digits);
            } else if (id instanceof Long l && l >= 0) {
                if (l > 0xffff) {
                    throw e.error("Failed to parse BridgePortTrunkTag id " + l + " as u16: out of range integral type"
                            + " conversion attempted");
                }
                v = l;
            } else {
                throw e.error("The id of BridgePortTrunkTag should be unsigned 16 bits integer, but got " + Fields.json(m));
            }
            return new Tag((int) v, (int) v, false);
        }
        if (m != null && m.containsKey("id-range")) {
            Fields r = Fields.of(m.get("id-range"), "BridgePortVlanRange", e);
            Long min = r.requiredUintOrString("min", Fields.U16);
            Long max = r.requiredUintOrString("max", Fields.U16);
            r.done();
            return new Tag(min.intValue(), max.intValue(), true);
        }
        throw e.error("BridgePortTrunkTag only support 'id' or 'id-range', but got " + Fields.json(o));
    }

    boolean empty() {
        return enableNative == null && mode == null && tag == null && trunkTags == null;
    }

    /** Ranges spelled out as single ids, sorted (nmstate's sanitize, on the interface to apply). */
    void flattenAndSort() {
        if (trunkTags == null) {
            return;
        }
        List<Tag> flat = new ArrayList<>();
        for (Tag t : trunkTags) {
            for (int i = t.min(); i <= t.max(); i++) {
                flat.add(new Tag(i, i, false));
            }
        }
        flat.sort((a, b) -> Integer.compare(a.min(), b.min()));
        trunkTags = flat;
    }

    void validate(boolean desired) throws NmstateException {
        if (!desired) {
            return;
        }
        if ("trunk".equals(mode) && tag != null && tag != 0 && !Boolean.TRUE.equals(enableNative)) {
            throw NmstateException.invalid("Bridge VLAN filtering `tag` cannot be use in trunk mode without"
                    + " `enable-native`");
        }
        if ("access".equals(mode) && Boolean.TRUE.equals(enableNative)) {
            throw NmstateException.invalid("Bridge VLAN filtering `enable-native: true` cannot be set in access mode");
        }
        if ("access".equals(mode) && trunkTags != null && !trunkTags.isEmpty()) {
            throw NmstateException.invalid("Bridge VLAN filtering access mode cannot have trunk-tags defined");
        }
        if ("trunk".equals(mode) && trunkTags == null) {
            throw NmstateException.invalid("Bridge VLAN filtering trunk mode cannot have empty trunk-tags");
        }
        if (trunkTags != null) {
            Map<Integer, Tag> found = new HashMap<>();
            for (Tag t : trunkTags) {
                for (int i = t.min(); i <= t.max(); i++) {
                    Tag existing = found.putIfAbsent(i, t);
                    if (existing != null) {
                        throw NmstateException.invalid("Bridge VLAN trunk tag " + t + " is overlapping with other tag "
                                + existing);
                    }
                }
            }
        }
    }

    /** NetworkManager's bridge-port vlans value: ranges sorted by start, "pvid untagged" for the native/access tag. */
    String nmBridgeVlans() {
        record Range(int start, int end, boolean pvidUntagged) {
        }
        List<Range> ranges = new ArrayList<>();
        if ("trunk".equals(mode)) {
            if (trunkTags != null) {
                for (Tag t : trunkTags) {
                    ranges.add(new Range(t.min(), t.max(), false));
                }
            }
            if (tag != null) {
                ranges.add(new Range(tag, tag, true));
            }
        } else if ("access".equals(mode) && tag != null) {
            ranges.add(new Range(tag, tag, true));
        }
        ranges.sort((a, b) -> Integer.compare(a.start(), b.start()));
        List<String> out = new ArrayList<>();
        for (Range r : ranges) {
            out.add((r.start() == r.end() ? String.valueOf(r.start()) : r.start() + "-" + r.end())
                    + (r.pvidUntagged() ? " pvid untagged" : ""));
        }
        return String.join(",", out);
    }
}
