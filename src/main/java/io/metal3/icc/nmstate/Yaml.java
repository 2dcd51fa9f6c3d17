package io.metal3.icc.nmstate;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/** Reads the NMState document and offers nmstate's lenient typed access (quoted numbers and bools). */
final class Yaml {

    private Yaml() {
    }

    /** @return the top-level mapping, or null for an empty document */
    static Map<String, Object> load(byte[] bytes) throws NmstateException {
        String text = utf8(bytes).replace('\u00A0', ' '); // nmstatectl replaces every no-break space first
        if (text.startsWith("\uFEFF")) {
            // nmstate's parser reads a BOM as the start of a second document and refuses it.
            throw NmstateException.invalid("Invalid YAML string: deserializing from YAML containing more than one"
                    + " document is not supported (the file starts with a byte-order mark: remove it)");
        }
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true);
        // Aliases resolve to shared objects (no copies) and the converter walks only known, shallow
        // structure, so references are cheap; the bound stops alias bombs, not real documents (a
        // 1 MiB Secret holds at most ~350,000 aliases).
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(50);
        options.setCodePointLimit(1 << 20);
        org.yaml.snakeyaml.Yaml yaml = new org.yaml.snakeyaml.Yaml(new org.yaml.snakeyaml.constructor.SafeConstructor(options),
                new org.yaml.snakeyaml.representer.Representer(new org.yaml.snakeyaml.DumperOptions()),
                new org.yaml.snakeyaml.DumperOptions(), options, new NoSexagesimalResolver());
        Object doc;
        try {
            int count = 0;
            doc = null;
            for (Object d : yaml.loadAll(text)) {
                if (++count > 1) {
                    throw NmstateException.invalid("Invalid YAML string: deserializing from YAML containing more than"
                            + " one document is not supported");
                }
                doc = d;
            }
        } catch (MarkedYAMLException e) {
            String where = e.getProblemMark() == null ? "" : " at line " + (e.getProblemMark().getLine() + 1)
                    + " column " + (e.getProblemMark().getColumn() + 1);
            throw NmstateException.invalid("Invalid YAML string: " + e.getProblem() + where);
        } catch (YAMLException e) {
            throw NmstateException.invalid("Invalid YAML string: " + e.getMessage());
        }
        if (doc == null) {
            return null;
        }
        if (doc instanceof Map<?, ?> m) {
            return stringKeys(m, "document");
        }
        String type = doc instanceof List ? "sequence" : "string \"" + doc + "\"";
        throw NmstateException.invalid("Invalid YAML string: invalid type: " + type + ", expected struct NetworkState");
    }

    static final int MAX_ALIASES = 500_000;

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

    @SuppressWarnings("unchecked")
    /**
     * YAML 1.1 reads 52:54:00:12:34:56 (a MAC address) as a base-60 integer; nmstate's YAML 1.2
     * parser reads it as a string. Same resolver, without the sexagesimal forms.
     */
    static final class NoSexagesimalResolver extends org.yaml.snakeyaml.resolver.Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.BOOL, BOOL, "yYnNtTfFoO");
            addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.INT, java.util.regex.Pattern.compile(
                    "^(?:[-+]?0b_*[0-1]+[0-1_]*|[-+]?0_*[0-7]+[0-7_]*|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x_*[0-9a-fA-F]+[0-9a-fA-F_]*)$"),
                    "-+0123456789");
            addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.FLOAT, java.util.regex.Pattern.compile(
                    "^(?:[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+]?[0-9]+)?|\\.[0-9_]+(?:[eE][-+]?[0-9]+)?"
                            + "|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$"), "-+0123456789.");
            addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.MERGE, MERGE, "<");
            addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.NULL, NULL, "~nN\0");
            addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.NULL, EMPTY, null);
            addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.TIMESTAMP, TIMESTAMP, "0123456789");
        }
    }

    static Map<String, Object> stringKeys(Map<?, ?> m, String where) throws NmstateException {
        for (Object k : m.keySet()) {
            if (!(k instanceof String)) {
                throw NmstateException.invalid("Invalid YAML string: " + where + ": key " + k + " is not a string");
            }
        }
        return (Map<String, Object>) m;
    }

    static void onlyKeys(Map<String, Object> m, Set<String> allowed, String where) throws NmstateException {
        for (String k : m.keySet()) {
            if (!allowed.contains(k)) {
                throw NmstateException.invalid("Invalid YAML string: " + where + ": unknown field `" + k + "`, expected one of "
                        + allowed.stream().sorted().map(a -> "`" + a + "`").reduce((a, b) -> a + ", " + b).orElse(""));
            }
        }
    }

    static Map<String, Object> map(Object v, String where) throws NmstateException {
        if (v == null) {
            return Map.of();
        }
        if (v instanceof Map<?, ?> m) {
            return stringKeys(m, where);
        }
        throw NmstateException.invalid("Invalid YAML string: " + where + ": invalid type: " + describe(v) + ", expected a map");
    }

    static List<?> list(Object v, String where) throws NmstateException {
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            return l;
        }
        throw NmstateException.invalid("Invalid YAML string: " + where + ": invalid type: " + describe(v) + ", expected a sequence");
    }

    static String string(Object v, String where) throws NmstateException {
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return s;
        }
        throw NmstateException.invalid("Invalid YAML string: " + where + ": invalid type: " + describe(v) + ", expected a string");
    }

    /** Booleans, and the strings nmstate accepts for them. */
    static Boolean bool(Object v, String where) throws NmstateException {
        if (v == null || v instanceof Boolean) {
            return (Boolean) v;
        }
        if (v instanceof String s) {
            switch (s.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "1", "y" -> {
                    return true;
                }
                case "false", "no", "off", "0", "n" -> {
                    return false;
                }
                default -> { }
            }
        }
        if (v instanceof Integer i && (i == 0 || i == 1)) {
            return i == 1;
        }
        throw NmstateException.invalid("Invalid YAML string: " + where + ": invalid value: " + describe(v) + ", expected a boolean");
    }

    static final long U8 = 0xffL;
    static final long U16 = 0xffffL;
    static final long U32 = 0xffff_ffffL;

    /** Unsigned integers, also when quoted (decimal, or hex with 0x), within a Java long. */
    static Long uint(Object v, String where) throws NmstateException {
        return uint(v, where, Long.MAX_VALUE);
    }

    /** Unsigned integers no larger than {@code max} (nmstate's u8, u16, u32 fields). */
    static Long uint(Object v, String where, long max) throws NmstateException {
        if (v == null) {
            return null;
        }
        java.math.BigInteger value;
        if (v instanceof Integer || v instanceof Long || v instanceof java.math.BigInteger) {
            value = new java.math.BigInteger(v.toString());
            if (value.signum() < 0) {
                throw NmstateException.invalid("Invalid YAML string: " + where + ": invalid type: integer `" + v
                        + "`, expected unsigned integer or string");
            }
        } else if (v instanceof String s) {
            String t = s.strip();
            try {
                value = t.startsWith("0x") || t.startsWith("0X") ? new java.math.BigInteger(t.substring(2), 16)
                        : t.matches("[0-9]+") ? new java.math.BigInteger(t) : null;
            } catch (NumberFormatException e) {
                value = null;
            }
            if (value == null) {
                throw NmstateException.invalid("Invalid YAML string: " + where
                        + (t.isEmpty() ? ": cannot parse integer from empty string" : ": invalid digit found in string `" + s + "`"));
            }
        } else {
            throw NmstateException.invalid("Invalid YAML string: " + where + ": invalid type: " + describe(v)
                    + ", expected unsigned integer");
        }
        if (value.compareTo(java.math.BigInteger.valueOf(max)) > 0) {
            throw NmstateException.invalid("Invalid YAML string: " + where + ": out of range integral type conversion"
                    + " attempted (" + value + " is larger than " + max + ")");
        }
        return value.longValue();
    }

    static String describe(Object v) {
        if (v instanceof String s) {
            return "string \"" + s + "\"";
        }
        if (v instanceof Integer || v instanceof Long) {
            return "integer `" + v + "`";
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
