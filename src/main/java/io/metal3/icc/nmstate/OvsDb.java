package io.metal3.icc.nmstate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OVS database settings: an interface's or OVS bond's {@code ovs-db} (external_ids and
 * other_config, written to [ovs-external-ids] and [ovs-other-config] as {@code data.KEY}), and the
 * top-level {@code ovs-db} and {@code ovn} sections, which gc validates but does not write (they
 * live in the OVS database, not in NetworkManager profiles).
 */
final class OvsDb {

    private OvsDb() {
    }

    /** external_ids and other_config of an interface: key → value; a null value removes the key. */
    record IfaceConfig(Map<String, String> externalIds, Map<String, String> otherConfig) {

        static IfaceConfig parse(Object raw, Fields.Errors e) throws NmstateException {
            if (!(raw instanceof Map<?, ?>)) {
                throw e.error("Expecting dict/HashMap, but got " + debug(raw));
            }
            Map<String, Object> m = Fields.map(raw, e);
            Map<String, String> ids = m.containsKey("external_ids") ? values(m.get("external_ids")) : null;
            Map<String, String> other = m.containsKey("other_config") ? values(m.get("other_config")) : null;
            List<String> rest = m.keySet().stream().filter(k -> !k.equals("external_ids") && !k.equals("other_config"))
                    .toList();
            if (!rest.isEmpty()) {
                throw e.error("Unsupported section names '" + String.join(", ", rest)
                        + "', only supports `external_ids` and `other_config`");
            }
            return new IfaceConfig(ids, other);
        }

        /** nmstate's value_to_hash_map: numbers and booleans as text, null kept, other values dropped. */
        private static Map<String, String> values(Object raw) throws NmstateException {
            Map<String, String> out = new LinkedHashMap<>();
            if (raw instanceof Map<?, ?> m) {
                for (Map.Entry<?, ?> en : m.entrySet()) {
                    Object v = en.getValue();
                    String key = Text.checked(String.valueOf(en.getKey()), "ovs-db key");
                    if (v == null) {
                        out.put(key, null);
                    } else if (v instanceof String s) {
                        out.put(key, Text.checked(s, "ovs-db value of " + key));
                    } else if (v instanceof Long || v instanceof java.math.BigInteger || v instanceof Boolean) {
                        out.put(key, v.toString());
                    } else if (v instanceof Double d) {
                        out.put(key, d == Math.rint(d) && Math.abs(d) < 1e16 ? String.valueOf(d.longValue())
                                : String.valueOf(d));
                    }
                }
            }
            return out;
        }

        /** [ovs-external-ids] and [ovs-other-config]: written when they hold a value. */
        void write(NmConnection c) {
            write(c, "ovs-external-ids", externalIds);
            write(c, "ovs-other-config", otherConfig);
        }

        private static void write(NmConnection c, String section, Map<String, String> data) {
            if (data == null || data.values().stream().allMatch(java.util.Objects::isNull)) {
                return;
            }
            c.section(section);
            data.forEach((k, v) -> {
                if (v != null) {
                    c.set(section, "data." + k, v);
                }
            });
        }
    }

    /** serde_json's debug rendering of a non-map value, as nmstate's message prints it. */
    private static String debug(Object v) {
        if (v == null) {
            return "Null";
        }
        if (v instanceof String s) {
            return "String(" + Fields.json(s) + ")";
        }
        if (v instanceof Boolean b) {
            return "Bool(" + b + ")";
        }
        if (v instanceof List) {
            return "Array " + Fields.json(v);
        }
        return "Number(" + Fields.json(v) + ")";
    }

    /** The top-level ovs-db section: validated (string or null values; the OVN mapping key reserved). */
    static void validateGlobal(Object raw, Fields.Errors e) throws NmstateException {
        Fields f = Fields.of(raw, "OvsDbGlobalConfig", e);
        Map<String, String> ids = stringMap(f.raw("external_ids"), e.field("external_ids"));
        Map<String, String> other = stringMap(f.raw("other_config"), e.field("other_config"));
        f.done();
        boolean purge = ids == null && other == null || ids != null && other != null && ids.isEmpty() && other.isEmpty();
        if (!purge && ids != null && ids.containsKey("ovn-bridge-mappings")) {
            throw NmstateException.invalid("The `ovn-bridge-mappings` is reserved for OVN mapping, please use `ovn`"
                    + " section instead of `ovs-db` section");
        }
    }

    private static Map<String, String> stringMap(Object raw, Fields.Errors e) throws NmstateException {
        if (raw == null) {
            return null;
        }
        Map<String, Object> m = Fields.map(raw, e);
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> en : m.entrySet()) {
            Object v = en.getValue() instanceof Yaml.Scalar s ? (s.value() == null ? null : s.text()) : en.getValue();
            out.put(en.getKey(), Fields.asString(v, e.field(en.getKey())));
        }
        return out;
    }

    /** The top-level ovn section: bridge mappings, validated as nmstate does. */
    static void validateOvn(Object raw, Fields.Errors e) throws NmstateException {
        Fields f = Fields.of(raw, "OvnConfiguration", e);
        Object maps = f.raw("bridge-mappings");
        f.done();
        if (maps == null) {
            return;
        }
        java.util.List<String> localnets = new java.util.ArrayList<>();
        java.util.List<Object[]> parsed = new java.util.ArrayList<>();
        List<?> list = Fields.list(maps, e.field("bridge-mappings"));
        for (int i = 0; i < list.size(); i++) {
            Fields m = Fields.of(list.get(i), "OvnBridgeMapping", e.field("bridge-mappings[" + i + "]"));
            String localnet = m.requiredString("localnet");
            String state = m.variant("state", List.of("present", "absent"));
            String bridge = m.string("bridge");
            m.finish();
            localnets.add(localnet);
            parsed.add(new Object[] {localnet, state, bridge});
        }
        for (Object[] p : parsed) {
            if (localnets.stream().filter(p[0]::equals).count() > 1) {
                throw NmstateException.invalid("Found duplicate `localnet` key " + p[0]);
            }
        }
        for (Object[] p : parsed) {
            if (!"absent".equals(p[1]) && p[2] == null) {
                throw NmstateException.invalid("mapping for `localnet` key " + p[0] + " missing the `bridge` attribute");
            }
        }
    }
}
