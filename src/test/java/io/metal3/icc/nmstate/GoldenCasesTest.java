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
 * NMState → keyfile pairs produced by nmstate 2.2.38's own {@code nmstatectl gc}: the corpus
 * handed to the project (test resources nmstate/golden) and our own cases for every interface
 * family and property (nmstate/own, made with nmstatectl 2.2.38 built from nmstate's sources; see
 * its README). Every case must give exactly nmstate's keyfiles, or fail with nmstate's error kind
 * and message (its YAML position left out); where our YAML parser words a syntax error
 * differently, nmstate/errors.txt gives the phrase the message must carry instead.
 */
class GoldenCasesTest {

    static final Path DIR = dir("golden");
    static final Path OWN = dir("own");

    static Path dir(String name) {
        try {
            return Path.of(GoldenCasesTest.class.getResource("/nmstate/" + name + "/INDEX.tsv").toURI()).getParent();
        } catch (java.net.URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("golden cases missing from the test resources (nmstate/" + name + ")", e);
        }
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

    static List<String> names(Path dir) throws IOException {
        return Files.readAllLines(dir.resolve("INDEX.tsv")).stream().skip(1).filter(l -> !l.isBlank())
                .map(l -> l.split("\t", 2)[0]).sorted().toList();
    }

    /** Every case of both corpora, as "golden/NAME" or "own/NAME". */
    static Stream<String> cases() throws IOException {
        List<String> all = new ArrayList<>();
        names(DIR).forEach(n -> all.add("golden/" + n));
        names(OWN).forEach(n -> all.add("own/" + n));
        return all.stream();
    }

    static Path file(String id, String ext) {
        String[] p = id.split("/", 2);
        return (p[0].equals("own") ? OWN : DIR).resolve(p[1] + ext);
    }

    @Test
    void everyListedCaseHasItsFiles() throws IOException {
        List<String> all = cases().toList();
        assertTrue(names(DIR).size() >= 164, "nmstate's corpus: " + names(DIR).size());
        assertTrue(names(OWN).size() >= 300, "our cases: " + names(OWN).size());
        for (String c : all) {
            assertTrue(Files.exists(file(c, ".yml")) && Files.exists(file(c, ".out")), c);
        }
        Set<String> corpus = Set.copyOf(names(DIR));
        for (String listed : table("unsupported.txt").keySet()) {
            assertTrue(corpus.contains(listed), "unsupported.txt names unknown case " + listed);
        }
        for (String listed : table("errors.txt").keySet()) {
            assertTrue(corpus.contains(listed), "errors.txt names unknown case " + listed);
        }
    }

    @Test
    void nothingIsOutsideTheConverter() throws IOException {
        assertEquals(Map.of(), table("unsupported.txt"), "every case nmstate converts is converted here");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void golden(String id) throws Exception {
        String name = id.substring(id.indexOf('/') + 1);
        // nmstate accepts MPTCP flags only where the kernel it runs on has MPTCP on (as it was for the goldens).
        org.junit.jupiter.api.Assumptions.assumeTrue(!name.equals("misc-07-mptcp-flags") || mptcpEnabledHere(),
                "net.mptcp.enabled is not 1 on this machine");
        byte[] input = Files.readAllBytes(file(id, ".yml"));
        Path rcFile = file(id, ".rc");
        boolean fails = Files.exists(rcFile) && !Files.readString(rcFile).strip().equals("0");
        List<NetworkKeyfile> ours;
        try {
            ours = NmstateConverter.convert(input);
        } catch (NmstateException e) {
            assertFalse(table("unsupported.txt").containsKey(name), id + " is listed as outside the converter");
            if (!fails) {
                fail(id + ": nmstate converts this, we said: " + e.getMessage());
            }
            String nmstate = lastLine(id);
            assertEquals(errorKind(nmstate), e.kind(), id + ": " + e.getMessage());
            String meaning = id.startsWith("golden/") ? table("errors.txt").get(name) : null;
            if (meaning != null) {
                assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains(meaning.toLowerCase(java.util.Locale.ROOT)),
                        id + ": nmstate says '" + nmstate + "'; ours must say '" + meaning + "': " + e.getMessage());
            } else {
                assertEquals(withoutPosition(nmstate.replaceFirst("^NmstateError: ", "")), withoutPosition(e.getMessage()), id);
            }
            return;
        }
        if (fails) {
            fail(id + ": nmstate refuses this (" + lastLine(id) + "), we produced " + ours.size() + " keyfiles");
        }
        if (id.startsWith("golden/") && list("divergent.txt").contains(name)) {
            // The .out lost trailing white space and gained blank lines (libyaml folding): compare the rest.
            assertEquals(normalised(expected(id)), normalised(ours), id);
            return;
        }
        assertEquals(render(expected(id)), render(ours), id);
    }

    static boolean mptcpEnabledHere() {
        try {
            return Files.readString(Path.of("/proc/sys/net/mptcp/enabled")).strip().equals("1");
        } catch (IOException e) {
            return false;
        }
    }

    static String lastLine(String id) throws IOException {
        return Files.readString(file(id, ".err")).strip().lines().reduce((a, b) -> b).orElse("");
    }

    /** serde_yaml's " at line L column C": the position is the parser's, not part of the meaning. */
    static String withoutPosition(String message) {
        return message.replaceAll(" at line \\d+ column \\d+", "").strip();
    }

    /** Keyfiles without trailing white space on a line and without runs of blank lines. */
    static String normalised(List<NetworkKeyfile> files) {
        return render(files).lines().map(String::stripTrailing).collect(Collectors.joining("\n"))
                .replaceAll("\n{2,}", "\n");
    }

    static String errorKind(String last) {
        var m = java.util.regex.Pattern.compile("NmstateError: (\\w+):").matcher(last);
        assertTrue(m.find(), last);
        return m.group(1);
    }

    @SuppressWarnings("unchecked")
    static List<NetworkKeyfile> expected(String id) throws IOException {
        String out = Files.readString(file(id, ".out"));
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
