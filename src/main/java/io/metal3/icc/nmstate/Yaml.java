package io.metal3.icc.nmstate;

import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the NMState document into plain values the way nmstatectl's parser (serde_yaml 0.9, YAML
 * 1.2 core schema) does: only {@code true/false} are booleans, {@code 0x}/{@code 0o}/{@code 0b}
 * integers are numbers, {@code 010} and {@code 52:54:00:12:34:56} are strings, and anything quoted
 * is a string. Maps keep document order; integers are {@link Long} (or {@link BigInteger} above
 * i64); YAML null is a present key with a null value.
 */
final class Yaml {

    static final int MAX_ALIASES = 500_000;

    private Yaml() {
    }

    /**
     * A plain scalar of a section serde_yaml reads into typed structs (routes, rules, DNS…): its
     * resolved value for numbers and booleans, and its text for string fields, which serde_yaml
     * fills with the text of any scalar ({@code search: [1]} is the domain "1").
     */
    record Scalar(Object value, String text) {
    }

    /** Sections nmstate reads with serde_yaml directly rather than through JSON. */
    static final java.util.Set<String> TYPED = java.util.Set.of("description", "hostname", "dns-resolver", "route-rules",
            "routes", "ovs-db", "ovn");

    /** The resolved value of a typed section's scalar (anything else as it is). */
    static Object value(Object o) {
        return o instanceof Scalar s ? s.value() : o;
    }

    /** An integer beyond 64 bits: YAML reads it, nmstate's JSON step cannot hold it. */
    record BigNumber(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    /** serde_yaml's path to the first integer in {@code v} that JSON cannot hold, or null. */
    static String bigNumberPath(Object v, String path) {
        return hasBigNumber(v) ? pathTo(v, path) : null;
    }

    private static boolean hasBigNumber(Object v) {
        if (v instanceof BigNumber) {
            return true;
        }
        if (v instanceof List<?> l) {
            for (Object o : l) {
                if (hasBigNumber(o)) {
                    return true;
                }
            }
        } else if (v instanceof Map<?, ?> m) {
            for (Object o : m.values()) {
                if (hasBigNumber(o)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String pathTo(Object v, String path) {
        if (v instanceof BigNumber) {
            return path;
        }
        if (v instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                String p = pathTo(l.get(i), path + "[" + i + "]");
                if (p != null) {
                    return p;
                }
            }
        } else if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String p = pathTo(e.getValue(), path + "." + e.getKey());
                if (p != null) {
                    return p;
                }
            }
        }
        return null;
    }

    /** The top-level document, or null for an empty one. */
    static Doc load(byte[] bytes) throws NmstateException {
        String text = utf8(bytes).replace('\u00A0', ' '); // nmstatectl replaces every no-break space first
        if (text.startsWith("\uFEFF")) {
            // nmstate's parser reads a BOM as the start of a second document and refuses it.
            throw NmstateException.invalid("Invalid YAML string: deserializing from YAML containing more than one"
                    + " document is not supported (the file starts with a byte-order mark: remove it)");
        }
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true);
        // Aliases resolve to shared nodes and values (no copies); the bound stops alias bombs, not real documents.
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(50);
        options.setCodePointLimit(1 << 20);
        org.yaml.snakeyaml.Yaml yaml = new org.yaml.snakeyaml.Yaml(
                new org.yaml.snakeyaml.constructor.SafeConstructor(options),
                new org.yaml.snakeyaml.representer.Representer(new DumperOptions()), new DumperOptions(), options,
                new PlainResolver());
        Node root = null;
        try {
            int count = 0;
            for (Node n : yaml.composeAll(new StringReader(text))) {
                if (++count > 1) {
                    throw NmstateException.invalid("Invalid YAML string: deserializing from YAML containing more than"
                            + " one document is not supported");
                }
                root = n;
            }
        } catch (MarkedYAMLException e) {
            throw NmstateException.invalid("Invalid YAML string: " + e.getProblem() + at(e.getProblemMark()));
        } catch (YAMLException e) {
            throw NmstateException.invalid("Invalid YAML string: " + e.getMessage());
        }
        if (root == null) {
            return null;
        }
        Converter c = new Converter();
        Object value = root instanceof MappingNode rm ? c.root(rm) : c.value(root, false);
        if (value instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) m;
            java.util.Set<String> nulls = new java.util.HashSet<>();
            for (NodeTuple t : ((MappingNode) root).getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && t.getValueNode() instanceof ScalarNode v
                        && v.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN && !v.getValue().isEmpty()
                        && resolve(v.getValue()) == null) {
                    nulls.add(k.getValue());
                }
            }
            return new Doc(map, c.marks, nulls);
        }
        if (value == null) {
            return null;
        }
        throw NmstateException.invalid("Invalid YAML string: invalid type: " + describe(value)
                + ", expected struct NetworkState");
    }

    /**
     * The document, where its collections start (serde_yaml names that place in its errors), and
     * which top-level keys hold an explicit null ({@code ~}, {@code null}): serde_yaml reads an empty
     * value as the default of a struct or list, but an explicit null as an error.
     */
    record Doc(Map<String, Object> map, IdentityHashMap<Object, Mark> marks, java.util.Set<String> explicitNull) {
        String at(Object collection) {
            return Yaml.at(marks.get(collection));
        }
    }

    static String at(Mark m) {
        return m == null ? "" : " at line " + (m.getLine() + 1) + " column " + (m.getColumn() + 1);
    }

    /** Strict UTF-8: a byte sequence that is not UTF-8 is refused, never turned into U+FFFD. */
    static String utf8(byte[] bytes) throws NmstateException {
        java.nio.charset.CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        try {
            return decoder.decode(in).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw NmstateException.invalid("Invalid YAML string: the document is not valid UTF-8 (at byte " + in.position()
                    + "): save it as UTF-8 text");
        }
    }

    /** Leaves every scalar a string: the converter resolves plain scalars itself, as serde_yaml does. */
    static final class PlainResolver extends org.yaml.snakeyaml.resolver.Resolver {
        @Override
        protected void addImplicitResolvers() {
        }
    }

    private static final class Converter {
        final IdentityHashMap<Node, Object> done = new IdentityHashMap<>();
        final IdentityHashMap<Node, Object> doneTyped = new IdentityHashMap<>();
        final IdentityHashMap<Object, Mark> marks = new IdentityHashMap<>();

        /** The document's mapping: typed sections keep their scalars' text. */
        Object root(MappingNode m) throws NmstateException {
            Map<String, Object> map = new LinkedHashMap<>();
            marks.put(map, m.getStartMark());
            for (NodeTuple t : m.getValue()) {
                Object key = Yaml.value(value(t.getKeyNode(), false));
                if (!(key instanceof String) && key != null && !(key instanceof Map) && !(key instanceof List)) {
                    key = String.valueOf(key);
                }
                if (!(key instanceof String k)) {
                    throw NmstateException.invalid("Invalid YAML string: invalid type: " + describe(key)
                            + ", expected a string key" + at(t.getKeyNode().getStartMark()));
                }
                map.remove(k);
                map.put(k, value(t.getValueNode(), TYPED.contains(k)));
            }
            return map;
        }

        Object value(Node node, boolean typed) throws NmstateException {
            IdentityHashMap<Node, Object> cache = typed ? doneTyped : done;
            Object seen = cache.get(node);
            if (seen != null || cache.containsKey(node)) {
                return seen; // an alias: the same value again
            }
            Object v;
            if (node instanceof ScalarNode s) {
                if (s.getScalarStyle() != DumperOptions.ScalarStyle.PLAIN) {
                    v = s.getValue();
                } else {
                    Object r = resolve(s.getValue());
                    v = typed && !(r instanceof String) ? new Scalar(r, s.getValue()) : r;
                }
            } else if (node instanceof SequenceNode seq) {
                List<Object> list = new ArrayList<>(seq.getValue().size());
                cache.put(node, list);
                marks.put(list, node.getStartMark());
                for (Node item : seq.getValue()) {
                    list.add(value(item, typed));
                }
                v = list;
            } else {
                MappingNode m = (MappingNode) node;
                Map<String, Object> map = new LinkedHashMap<>();
                cache.put(node, map);
                marks.put(map, node.getStartMark());
                for (NodeTuple t : m.getValue()) {
                    Object key = Yaml.value(value(t.getKeyNode(), typed));
                    if (!(key instanceof String) && key != null && !(key instanceof Map) && !(key instanceof List)) {
                        key = String.valueOf(key); // serde reads scalar keys as their text
                    }
                    if (!(key instanceof String k)) {
                        throw NmstateException.invalid("Invalid YAML string: invalid type: " + describe(key)
                                + ", expected a string key" + at(t.getKeyNode().getStartMark()));
                    }
                    map.remove(k); // a repeated key: the last one wins, in its own place
                    map.put(k, value(t.getValueNode(), typed));
                }
                v = map;
            }
            cache.put(node, v);
            return v;
        }
    }

    /** serde_yaml 0.9's plain-scalar resolution (YAML 1.2 core schema with its own integer forms). */
    static Object resolve(String s) {
        if (s.isEmpty() || s.equals("~") || s.equals("null") || s.equals("Null") || s.equals("NULL")) {
            return null;
        }
        switch (s) {
            case "true", "True", "TRUE" -> {
                return Boolean.TRUE;
            }
            case "false", "False", "FALSE" -> {
                return Boolean.FALSE;
            }
            default -> {
            }
        }
        BigInteger i = integer(s);
        if (i != null) {
            if (i.bitLength() < 64) {
                return i.longValue();
            }
            if (i.signum() > 0 && i.bitLength() <= 64) {
                return i; // u64 above i64
            }
            return new BigNumber(s); // serde_json cannot hold it: refused where read
        }
        if (!digitsButNotNumber(s)) {
            Double d = floating(s);
            if (d != null) {
                return Double.isFinite(d) ? d : null; // serde_json holds .inf and .nan as null
            }
        }
        return s;
    }

    private static BigInteger integer(String s) {
        char c0 = s.charAt(0);
        if (!(c0 >= '0' && c0 <= '9') && c0 != '+' && c0 != '-') {
            return null;
        }
        String body = s;
        boolean negative = false;
        if (body.startsWith("+")) {
            body = body.substring(1);
        } else if (body.startsWith("-")) {
            body = body.substring(1);
            negative = true;
        }
        if (body.startsWith("+") || body.startsWith("-")) {
            return null;
        }
        int radix = 10;
        if (body.startsWith("0x")) {
            radix = 16;
        } else if (body.startsWith("0o")) {
            radix = 8;
        } else if (body.startsWith("0b")) {
            radix = 2;
        }
        if (radix != 10) {
            body = body.substring(2);
        } else if (digitsButNotNumber(s)) {
            return null;
        }
        if (body.isEmpty() || body.startsWith("+") || body.startsWith("-")) {
            return null;
        }
        for (int k = 0; k < body.length(); k++) {
            if (Character.digit(body.charAt(k), radix) < 0 || body.charAt(k) > 0x7f) {
                return null;
            }
        }
        BigInteger v = new BigInteger(body, radix);
        return negative ? v.negate() : v;
    }

    /** Leading zeros followed by digits: a string in YAML 1.2 ({@code 010}, {@code -01}). */
    static boolean digitsButNotNumber(String s) {
        String t = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
        if (t.length() <= 1 || t.charAt(0) != '0') {
            return false;
        }
        for (int k = 1; k < t.length(); k++) {
            if (t.charAt(k) < '0' || t.charAt(k) > '9') {
                return false;
            }
        }
        return true;
    }

    private static final java.util.regex.Pattern FLOAT = java.util.regex.Pattern.compile(
            "[0-9]*(\\.[0-9]*)?([eE][+-]?[0-9]+)?");

    /** Rust's f64 parsing of what remains; non-finite values become YAML null, as serde_json holds them. */
    private static Double floating(String s) {
        char c0 = s.charAt(0);
        if (!(c0 >= '0' && c0 <= '9') && c0 != '.' && c0 != '+' && c0 != '-') {
            return null; // the common case: a name
        }
        String t = s;
        if (t.startsWith("+")) {
            t = t.substring(1);
            if (t.startsWith("+") || t.startsWith("-")) {
                return null;
            }
        }
        switch (t) {
            case ".inf", ".Inf", ".INF", "-.inf", "-.Inf", "-.INF" -> {
                return Double.POSITIVE_INFINITY;
            }
            default -> {
            }
        }
        if (s.equals(".nan") || s.equals(".NaN") || s.equals(".NAN")) {
            return Double.NaN;
        }
        String body = t.startsWith("-") ? t.substring(1) : t;
        if (body.isEmpty() || body.equals(".") || !FLOAT.matcher(body).matches() || body.startsWith("e")
                || body.startsWith("E") || body.startsWith(".e") || body.startsWith(".E")) {
            return null;
        }
        double d = Double.parseDouble(t);
        return Double.isFinite(d) ? d : null; // too large: Rust gives inf, which serde_yaml leaves a string
    }

    /** serde's words for a value in "invalid type" messages. */
    static String describe(Object v) {
        v = value(v);
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return "string \"" + s + "\"";
        }
        if (v instanceof Long || v instanceof BigInteger || v instanceof BigNumber) {
            return "integer `" + v + "`";
        }
        if (v instanceof Double d) {
            if (!Double.isFinite(d)) {
                return "null";
            }
            String t = d == Math.rint(d) && Math.abs(d) < 1e16 ? String.valueOf(d.longValue()) + ".0" : String.valueOf(d);
            return "floating point `" + t + "`";
        }
        if (v instanceof Boolean) {
            return "boolean `" + v + "`";
        }
        if (v instanceof List) {
            return "sequence";
        }
        if (v instanceof Map) {
            return "map";
        }
        return String.valueOf(v);
    }
}
