package io.metal3.icc.nmstate;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One NMState struct being read, with nmstate's (serde's) rules: each accessor declares a field, in
 * the order nmstate declares them, and reads it with the deserializer nmstate uses for it (plain
 * serde types, or nmstate's lenient "u32 or string" and "bool or string" ones); {@link #done()}
 * refuses the keys nobody declared, listing the declared ones as serde does.
 */
final class Fields {

    /** Where errors are reported: the serde path and location, or another wording of nmstate's. */
    interface Errors {
        NmstateException error(String message);

        /** Where a field's value is reported: serde names the field in typed structs, not in JSON-read ones. */
        default Errors field(String key) {
            return this;
        }

        static Errors yaml(String path, String location) {
            return m -> NmstateException.invalid("Invalid YAML string: " + (path.isEmpty() ? "" : path + ": ") + m
                    + location);
        }

        /** A struct serde_yaml reads directly (routes, rules, DNS…): a bad value is reported at its own path. */
        static Errors typed(String path) {
            return new Errors() {
                @Override
                public NmstateException error(String m) {
                    return NmstateException.invalid("Invalid YAML string: " + (path.isEmpty() ? "" : path + ": ") + m);
                }

                @Override
                public Errors field(String key) {
                    return typed(path.isEmpty() ? key : path + "." + key);
                }
            };
        }
    }

    static final long U8 = 0xffL;
    static final long U16 = 0xffffL;
    static final long U32 = 0xffff_ffffL;
    static final BigInteger U64 = new BigInteger("ffffffffffffffff", 16);
    /** The whole u64 range: values come back as a long's (unsigned) bits. */
    static final long U64_ALL = -1L;

    private static final String BOOL_WORDS = "Need to be boolean: 1|0|true|false|yes|no|on|off|y|n";

    private final Map<String, Object> map;
    private final Errors errors;
    private final List<String> declared = new ArrayList<>(24);
    /** The first required field found missing: serde reports it after the fields present. */
    private String missing;

    private Fields(Map<String, Object> map, Errors errors) {
        this.map = map;
        this.errors = errors;
    }

    /** A struct: {@code value} must be a map (null reads as an empty one only where nmstate allows it). */
    static Fields of(Object value, String structName, Errors errors) throws NmstateException {
        value = Yaml.value(value);
        if (value instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) m;
            return new Fields(map, errors);
        }
        throw errors.error("invalid type: " + Yaml.describe(value) + ", expected struct " + structName);
    }

    Errors errors() {
        return errors;
    }

    NmstateException error(String message) {
        return errors.error(message);
    }

    Map<String, Object> map() {
        return map;
    }

    /** Declares a field (and its aliases); returns the key present in the document, or null. */
    String key(String name, String... aliases) {
        String found = map.containsKey(name) ? name : null;
        if (aliases.length == 0) {
            declared.add(name);
            return found;
        }
        // serde lists a field's names (its own and its aliases) in sorted order
        java.util.TreeSet<String> names = new java.util.TreeSet<>(List.of(aliases));
        names.add(name);
        declared.addAll(names);
        for (String a : aliases) {
            if (found == null && map.containsKey(a)) {
                found = a;
            }
        }
        return found;
    }

    /** A field's raw value; absent and YAML null both give null (serde's Option). */
    Object raw(String name, String... aliases) {
        String k = key(name, aliases);
        return k == null ? null : Yaml.value(map.get(k));
    }

    /** A field as serde_yaml reads an Option of String: null is None, any other scalar its text. */
    private static Object stringish(Object o) {
        if (o instanceof Yaml.Scalar s) {
            return s.value() == null ? null : s.text();
        }
        return o;
    }

    boolean present(String name) {
        return map.containsKey(name);
    }

    /** serde's deny_unknown_fields, then the missing fields. */
    void done() throws NmstateException {
        for (String k : map.keySet()) {
            if (!declared.contains(k)) {
                throw unknownField(k, declared);
            }
        }
        finish();
    }

    /** The end of a struct that takes unknown fields: a missing required one is reported now. */
    void finish() throws NmstateException {
        if (missing != null) {
            throw errors.error("missing field `" + missing + "`");
        }
    }

    NmstateException unknownField(String k, List<String> expected) {
        String list;
        if (expected.isEmpty()) {
            list = "there are no fields";
        } else if (expected.size() == 1) {
            list = "expected `" + expected.get(0) + "`";
        } else if (expected.size() == 2) {
            list = "expected `" + expected.get(0) + "` or `" + expected.get(1) + "`";
        } else {
            StringBuilder sb = new StringBuilder("expected one of ");
            for (int i = 0; i < expected.size(); i++) {
                sb.append(i > 0 ? ", " : "").append('`').append(expected.get(i)).append('`');
            }
            list = sb.toString();
        }
        return errors.error("unknown field `" + k + "`, " + list);
    }

    List<String> declared() {
        return declared;
    }

    // ---- field readers -------------------------------------------------------------------------

    /** A required field. */
    /** A required field's value; when it is missing, null, and {@link #done()} reports it. */
    Object required(String name, String... aliases) {
        String k = key(name, aliases);
        if (k == null) {
            if (missing == null) {
                missing = name;
            }
            return null;
        }
        return Yaml.value(map.get(k));
    }

    /** A required plain unsigned integer (null when missing: reported by {@link #done()}). */
    Long requiredUint(String name, long max, String typeName) throws NmstateException {
        boolean present = map.containsKey(name);
        Object v = required(name);
        return present ? uint(v, max, typeName, errors.field(name)) : null;
    }

    /** A required enum (null when missing: reported by {@link #done()}). */
    String requiredVariant(String name, List<String> variants) throws NmstateException {
        boolean present = map.containsKey(name);
        String k = key(name);
        if (!present) {
            required(name);
            return null;
        }
        return variant(stringish(map.get(k)), variants, errors.field(name));
    }

    String string(String name, String... aliases) throws NmstateException {
        String k = key(name, aliases);
        return k == null ? null : asString(stringish(map.get(k)), errors.field(name));
    }

    /** A string holding a secret: a value of the wrong type is not quoted in the message. */
    String secretString(String name) throws NmstateException {
        String k = key(name);
        Object v = k == null ? null : stringish(map.get(k));
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw errors.field(name).error("invalid type for `" + name + "` (value not shown: it is a secret), expected a string");
    }

    String requiredString(String name, String... aliases) throws NmstateException {
        String k = key(name, aliases);
        if (k == null) {
            if (missing == null) {
                missing = name;
            }
            return null;
        }
        Object raw = map.get(k);
        Object v = raw instanceof Yaml.Scalar s ? s.text() : raw;
        if (v == null) {
            throw errors.field(name).error("invalid type: null, expected a string");
        }
        return asString(v, errors.field(name));
    }

    /** A plain serde bool (only YAML booleans). */
    Boolean bool(String name, String... aliases) throws NmstateException {
        Object v = raw(name, aliases);
        if (v == null || v instanceof Boolean) {
            return (Boolean) v;
        }
        throw errors.field(name).error("invalid type: " + Yaml.describe(v) + ", expected a boolean");
    }

    Boolean requiredBool(String name) throws NmstateException {
        boolean present = map.containsKey(name);
        Object v = required(name);
        if (!present || v instanceof Boolean) {
            return (Boolean) v;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw errors.field(name).error("invalid type: " + Yaml.describe(v) + ", expected a boolean");
    }

    /** nmstate's option_bool_or_string: booleans, 0/1, and yes/no/on/off/y/n/true/false/1/0 in any case. */
    Boolean boolOrString(String name, String... aliases) throws NmstateException {
        String k = key(name, aliases);
        return k == null ? null : boolOrString(Yaml.value(map.get(k)), errors.field(k));
    }

    static Boolean boolOrString(Object v, Errors errors) throws NmstateException {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s) {
            switch (s.toLowerCase(Locale.ROOT)) {
                case "1", "true", "yes", "on", "y" -> {
                    return true;
                }
                case "0", "false", "no", "off", "n" -> {
                    return false;
                }
                default -> throw errors.error(BOOL_WORDS);
            }
        }
        if (v instanceof Long l && l >= 0 || v instanceof BigInteger) {
            if (v.equals(1L) || v.equals(0L)) {
                return v.equals(1L);
            }
            throw errors.error(BOOL_WORDS);
        }
        throw errors.error("invalid type: " + Yaml.describe(v) + ", expected " + BOOL_WORDS);
    }

    /** nmstate's option_uN_or_string: an unsigned integer, a decimal string or a 0x hex string. */
    Long uintOrString(String name, long max, String... aliases) throws NmstateException {
        String k = key(name, aliases);
        return k == null ? null : uintOrString(Yaml.value(map.get(k)), max, errors.field(k));
    }

    Long requiredUintOrString(String name, long max) throws NmstateException {
        boolean present = map.containsKey(name);
        Object v = required(name);
        return present ? uintOrString(v, max, errors.field(name)) : null;
    }

    static Long uintOrString(Object v, long max, Errors errors) throws NmstateException {
        BigInteger value;
        if (v instanceof String s) {
            value = parseUnsigned(s, errors);
        } else if (v instanceof Long l && l >= 0) {
            value = BigInteger.valueOf(l);
        } else if (v instanceof BigInteger b) {
            value = b;
        } else if (v instanceof Yaml.BigNumber) {
            throw errors.error("out of range integral type conversion attempted");
        } else {
            throw errors.error("invalid type: " + Yaml.describe(v) + ", expected unsigned integer or string");
        }
        if (max != U64_ALL && value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw errors.error("out of range integral type conversion attempted");
        }
        return value.longValue();
    }

    /** u64 values beyond Java's long are read as such by {@link #uintOrString}; callers keep them as text. */
    static BigInteger parseUnsigned(String s, Errors errors) throws NmstateException {
        String digits = s;
        int radix = 10;
        if (s.startsWith("0x")) {
            digits = s.substring(2);
            radix = 16;
        } else if (digits.startsWith("+")) {
            digits = digits.substring(1); // Rust's u64::from_str takes one leading '+'
        }
        if (digits.isEmpty()) {
            throw errors.error("cannot parse integer from empty string");
        }
        if (radix == 16 && digits.startsWith("+")) {
            digits = digits.substring(1);
            if (digits.isEmpty()) {
                throw errors.error("invalid digit found in string");
            }
        }
        for (int i = 0; i < digits.length(); i++) {
            if (Character.digit(digits.charAt(i), radix) < 0 || digits.charAt(i) > 0x7f) {
                throw errors.error("invalid digit found in string");
            }
        }
        BigInteger v = new BigInteger(digits, radix);
        if (v.compareTo(U64) > 0) {
            throw errors.error("number too large to fit in target type");
        }
        return v;
    }

    /** nmstate's option_iN_or_string: a signed integer or a decimal string. */
    Long intOrString(String name, long min, long max) throws NmstateException {
        String k = key(name);
        if (k == null) {
            return null;
        }
        Fields.Errors errors = this.errors.field(k);
        Object v = Yaml.value(map.get(k));
        long value;
        if (v instanceof String s) {
            value = parseSigned(s, errors);
        } else if (v instanceof Long l) {
            value = l;
        } else if (v instanceof BigInteger || v instanceof Yaml.BigNumber) {
            throw errors.error("out of range integral type conversion attempted");
        } else {
            throw errors.error("invalid type: " + Yaml.describe(v) + ", expected signed integer or string");
        }
        if (value < min || value > max) {
            throw errors.error("out of range integral type conversion attempted");
        }
        return value;
    }

    static long parseSigned(String s, Errors errors) throws NmstateException {
        String digits = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
        if (s.isEmpty()) {
            throw errors.error("cannot parse integer from empty string");
        }
        if (digits.isEmpty()) {
            throw errors.error("invalid digit found in string");
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                throw errors.error("invalid digit found in string");
            }
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw errors.error(s.startsWith("-") ? "number too small to fit in target type"
                    : "number too large to fit in target type");
        }
    }

    /** A plain serde unsigned integer (a YAML number only), e.g. {@code Option<u32>}. */
    Long uint(String name, long max, String typeName, String... aliases) throws NmstateException {
        Object v = raw(name, aliases);
        return v == null ? null : uint(v, max, typeName, errors.field(name));
    }

    static Long uint(Object v, long max, String typeName, Errors errors) throws NmstateException {
        if (v instanceof Long l) {
            if (l < 0 || l > max) {
                throw errors.error("invalid value: integer `" + l + "`, expected " + typeName);
            }
            return l;
        }
        if (v instanceof BigInteger b) {
            throw errors.error("invalid value: integer `" + b + "`, expected " + typeName);
        }
        throw errors.error("invalid type: " + Yaml.describe(v) + ", expected " + typeName);
    }

    /** An enum written as a string: its variant name, or serde's "unknown variant" error. */
    String variant(String name, List<String> variants, String... aliases) throws NmstateException {
        String k = key(name, aliases);
        Object v = k == null ? null : stringish(map.get(k)); // serde_yaml names a variant by the scalar's text
        return v == null ? null : variant(v, variants, errors.field(name));
    }

    static String variant(Object v, List<String> variants, Errors errors) throws NmstateException {
        if (v instanceof Map<?, ?> m) {
            if (m.size() != 1) {
                throw errors.error("invalid value: map, expected map with a single key");
            }
            Object k = m.keySet().iterator().next();
            if (!variants.contains(String.valueOf(k))) {
                throw errors.error(unknownVariant(String.valueOf(k), variants));
            }
            throw errors.error("invalid type: " + Yaml.describe(m.values().iterator().next()) + ", expected unit variant");
        }
        if (!(v instanceof String s)) {
            throw errors.error("invalid type: " + Yaml.describe(v) + ", expected string or map");
        }
        if (!variants.contains(s)) {
            throw errors.error(unknownVariant(s, variants));
        }
        return s;
    }

    static String unknownVariant(String s, List<String> variants) {
        StringBuilder sb = new StringBuilder("unknown variant `" + s + "`, expected ");
        if (variants.size() == 2) {
            return sb.append('`').append(variants.get(0)).append("` or `").append(variants.get(1)).append('`').toString();
        }
        sb.append(variants.size() == 1 ? "" : "one of ");
        for (int i = 0; i < variants.size(); i++) {
            sb.append(i > 0 ? ", " : "").append('`').append(variants.get(i)).append('`');
        }
        return sb.toString();
    }

    /** nmstate's NumberAsString enums (bond mode and options): a number or a string naming a variant. */
    String numberAsStringVariant(String name, List<String> variants) throws NmstateException {
        Object v = raw(name);
        if (v == null) {
            return null;
        }
        String s;
        if (v instanceof String str) {
            s = str;
        } else if (v instanceof Long || v instanceof BigInteger || v instanceof Double) {
            s = v instanceof Double d ? String.valueOf(d) : v.toString();
        } else {
            throw errors.field(name).error("InvalidArgument: Invalid data type: " + json(v) + ", should be integer or string");
        }
        if (!variants.contains(s)) {
            throw errors.error(unknownVariant(s, variants));
        }
        return s;
    }

    static String asString(Object v, Errors errors) throws NmstateException {
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw errors.error("invalid type: " + Yaml.describe(v) + ", expected a string");
    }

    /** {@code Option<Vec<String>>}. */
    List<String> stringList(String name, String... aliases) throws NmstateException {
        Object v = raw(name, aliases);
        if (v == null) {
            return null;
        }
        Errors e = errors.field(name);
        List<?> l = list(v, e);
        List<String> out = new ArrayList<>(l.size());
        for (int i = 0; i < l.size(); i++) {
            Object o = l.get(i) instanceof Yaml.Scalar s ? s.text() : l.get(i);
            Errors item = errors.field(name + "[" + i + "]");
            if (o == null) {
                throw item.error("invalid type: null, expected a string");
            }
            out.add(asString(o, item));
        }
        return out;
    }

    static List<?> list(Object v, Errors errors) throws NmstateException {
        v = Yaml.value(v);
        if (v instanceof List<?> l) {
            return l;
        }
        throw errors.error("invalid type: " + Yaml.describe(v) + ", expected a sequence");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object v, Errors errors) throws NmstateException {
        v = Yaml.value(v);
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw errors.error("invalid type: " + Yaml.describe(v) + ", expected a map");
    }

    /** serde_json's rendering of a value, for nmstate messages that print one. */
    static String json(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            StringBuilder sb = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\t' -> sb.append("\\t");
                    case '\r' -> sb.append("\\r");
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            return sb.append('"').toString();
        }
        if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                sb.append(i > 0 ? "," : "").append(json(l.get(i)));
            }
            return sb.append(']').toString();
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            int i = 0;
            for (Map.Entry<?, ?> e : new java.util.TreeMap<>(m).entrySet()) {
                sb.append(i++ > 0 ? "," : "").append(json(e.getKey())).append(':').append(json(e.getValue()));
            }
            return sb.append('}').toString();
        }
        if (v instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e16 ? d.longValue() + ".0" : String.valueOf(d);
        }
        return String.valueOf(v);
    }

    /** A shallow copy of a YAML map, for the edits nmstate makes to an interface before reading it again. */
    static Map<String, Object> copy(Map<String, Object> m) {
        return new LinkedHashMap<>(m);
    }
}
