package io.metal3.icc.nmstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * The golden NMState → keyfile pairs produced by nmstate 2.2 (../shared/testdata/nmstate). Cases
 * listed in nmstate/subset.txt must give exactly nmstate's keyfiles, or its error kind. Every other
 * case must give them too or fail as Unsupported: never a different configuration.
 */
class GoldenCasesTest {

    static final Path DIR = Path.of(System.getProperty("nmstate.golden.dir", "../shared/testdata/nmstate"));

    static Set<String> subset() throws IOException {
        return list("subset.txt");
    }

    static Set<String> list(String file) throws IOException {
        try (InputStream in = GoldenCasesTest.class.getResourceAsStream("/nmstate/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toSet());
        }
    }

    static Stream<String> cases() throws IOException {
        if (!Files.isDirectory(DIR)) {
            fail("golden cases not found at " + DIR.toAbsolutePath() + " (shared/ must be beside the project)");
        }
        try (Stream<Path> files = Files.list(DIR)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList().stream();
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
            if (e.kind().equals(NmstateException.UNSUPPORTED) && !inSubset) {
                assertTrue(e.getMessage().startsWith("Unsupported: unsupported: "), e.getMessage());
                return;
            }
            if (!fails) {
                fail(name + ": nmstate converts this, we said: " + e.getMessage());
            }
            String expectedKind = errorKind(name);
            assertEquals(expectedKind, e.kind(), name + ": " + e.getMessage());
            return;
        }
        if (fails) {
            fail(name + ": nmstate refuses this (" + errorKind(name) + "), we produced " + ours.size() + " keyfiles");
        }
        if (list("divergent.txt").contains(name)) {
            assertEquals(expected(name).size(), ours.size(), name);
            return;
        }
        List<NetworkKeyfile> expected = expected(name);
        assertEquals(render(expected), render(ours), name);
    }

    static String errorKind(String name) throws IOException {
        String err = Files.readString(DIR.resolve(name + ".err"));
        String last = err.strip().lines().reduce((a, b) -> b).orElse("");
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
