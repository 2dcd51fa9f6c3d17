package io.metal3.icc.nmstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The golden NMState → keyfile pairs produced by nmstate 2.2 (test resources nmstate/golden, a copy
 * of the corpus with its README). Cases listed in nmstate/subset.txt must give exactly nmstate's
 * keyfiles, or its error kind and meaning. Every other case must give them too or fail as
 * Unsupported for a feature listed in nmstate/unsupported.txt: never a different configuration.
 */
class GoldenCasesTest {

    static final Path DIR = goldenDir();

    static Path goldenDir() {
        try {
            return Path.of(GoldenCasesTest.class.getResource("/nmstate/golden/INDEX.tsv").toURI()).getParent();
        } catch (java.net.URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("golden cases missing from the test resources (nmstate/golden)", e);
        }
    }

    static Set<String> subset() throws IOException {
        return list("subset.txt");
    }

    static Set<String> list(String file) throws IOException {
        try (InputStream in = GoldenCasesTest.class.getResourceAsStream("/nmstate/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toSet());
        }
    }

    /** name → value from a two-column list (name, TAB, value). */
    static Map<String, String> table(String file) throws IOException {
        Map<String, String> out = new java.util.TreeMap<>();
        for (String line : list(file)) {
            String[] kv = line.split("\t", 2);
            out.put(kv[0], kv.length > 1 ? kv[1].strip() : "");
        }
        return out;
    }

    /** Every case of the corpus, from its INDEX.tsv. */
    static Stream<String> cases() throws IOException {
        return Files.readAllLines(DIR.resolve("INDEX.tsv")).stream().skip(1).filter(l -> !l.isBlank())
                .map(l -> l.split("\t", 2)[0]).sorted().toList().stream();
    }

    @Test
    void everyListedCaseHasItsFiles() throws IOException {
        List<String> all = cases().toList();
        assertTrue(all.size() > 150, "the whole corpus: " + all.size());
        for (String c : all) {
            assertTrue(Files.exists(DIR.resolve(c + ".yml")) && Files.exists(DIR.resolve(c + ".out")), c);
        }
        for (String listed : table("unsupported.txt").keySet()) {
            assertTrue(all.contains(listed), "unsupported.txt names unknown case " + listed);
        }
        for (String listed : table("errors.txt").keySet()) {
            assertTrue(all.contains(listed), "errors.txt names unknown case " + listed);
        }
    }

    @Test
    void subsetNamesExist() throws IOException {
        Set<String> all = cases().collect(Collectors.toSet());
        for (String s : subset()) {
            assertTrue(all.contains(s), "subset.txt names unknown case " + s);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void golden(String name) throws Exception {
        boolean inSubset = subset().contains(name);
        byte[] input = Files.readAllBytes(DIR.resolve(name + ".yml"));
        Path rcFile = DIR.resolve(name + ".rc");
        boolean fails = Files.exists(rcFile) && !Files.readString(rcFile).strip().equals("0");
        List<NetworkKeyfile> ours;
        try {
            ours = NmstateConverter.convert(input);
        } catch (NmstateException e) {
            String feature = table("unsupported.txt").get(name);
            if (e.kind().equals(NmstateException.UNSUPPORTED) && !inSubset) {
                assertTrue(feature != null, name + " is refused as unsupported but unsupported.txt does not list it: "
                        + e.getMessage());
                assertTrue(e.getMessage().startsWith("Unsupported: unsupported: ") && e.getMessage().contains(feature),
                        name + ": expected the unsupported feature '" + feature + "' to be named: " + e.getMessage());
                return;
            }
            if (!fails) {
                fail(name + ": nmstate converts this, we said: " + e.getMessage());
            }
            String expectedKind = errorKind(name);
            assertEquals(expectedKind, e.kind(), name + ": " + e.getMessage());
            String meaning = table("errors.txt").get(name);
            assertTrue(meaning != null, name + ": errors.txt must give the key phrase of nmstate's message ("
                    + lastLine(name) + "); we said: " + e.getMessage());
            assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains(meaning.toLowerCase(java.util.Locale.ROOT)),
                    name + ": nmstate says '" + lastLine(name) + "'; ours must say '" + meaning + "': " + e.getMessage());
            return;
        }
        if (fails) {
            fail(name + ": nmstate refuses this (" + errorKind(name) + "), we produced " + ours.size() + " keyfiles");
        }
        assertFalse(table("unsupported.txt").containsKey(name), name + " converts now: take it off unsupported.txt");
        if (list("divergent.txt").contains(name)) {
            // The .out lost trailing white space and gained blank lines (libyaml folding): compare the rest.
            assertEquals(normalised(expected(name)), normalised(ours), name);
            return;
        }
        List<NetworkKeyfile> expected = expected(name);
        assertEquals(render(expected), render(ours), name);
    }

    static String lastLine(String name) throws IOException {
        return Files.readString(DIR.resolve(name + ".err")).strip().lines().reduce((a, b) -> b).orElse("");
    }

    /** Keyfiles without trailing white space on a line and without runs of blank lines. */
    static String normalised(List<NetworkKeyfile> files) {
        return render(files).lines().map(String::stripTrailing).collect(Collectors.joining("\n"))
                .replaceAll("\n{2,}", "\n");
    }

    static String errorKind(String name) throws IOException {
        String last = lastLine(name);
        var m = java.util.regex.Pattern.compile("NmstateError: (\\w+):").matcher(last);
        assertTrue(m.find(), last);
        return m.group(1);
    }

    @SuppressWarnings("unchecked")
    static List<NetworkKeyfile> expected(String name) throws IOException {
        String out = Files.readString(DIR.resolve(name + ".out"));
        Object doc = new org.yaml.snakeyaml.Yaml().load(out);
        List<NetworkKeyfile> files = new ArrayList<>();
        if (doc instanceof Map<?, ?> m && m.get("NetworkManager") instanceof List<?> list) {
            for (Object o : list) {
                List<String> pair = (List<String>) o;
                files.add(new NetworkKeyfile(pair.get(0), pair.get(1)));
            }
        }
        return files;
    }

    static String render(List<NetworkKeyfile> files) {
        StringBuilder sb = new StringBuilder();
        for (NetworkKeyfile f : files) {
            sb.append("===== ").append(f.fileName()).append('\n').append(f.content());
        }
        return sb.toString();
    }
}
