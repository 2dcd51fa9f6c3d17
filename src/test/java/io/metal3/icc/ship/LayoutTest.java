package io.metal3.icc.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * README's layout table names every package of src/main/java, in order from the wiring down, and
 * no package uses one listed above it.
 */
class LayoutTest {

    static final Path MAIN = Path.of("src/main/java");
    static final Pattern ROW = Pattern.compile("^\\| `(io\\.metal3\\.icc\\.[a-z.]+)` \\|", Pattern.MULTILINE);
    static final Pattern USE = Pattern.compile("\\b(io\\.metal3\\.icc(?:\\.[a-z]+)+)\\.[A-Z]");

    static List<String> table() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String layout = readme.substring(readme.indexOf("### Layout"), readme.indexOf("### Where a change goes"));
        List<String> rows = new ArrayList<>();
        Matcher m = ROW.matcher(layout);
        while (m.find()) {
            rows.add(m.group(1));
        }
        return rows;
    }

    static String packageOf(Path file) {
        return MAIN.relativize(file.getParent()).toString().replace('/', '.');
    }

    @Test
    void theTableNamesEveryPackage() throws IOException {
        Set<String> packages = new TreeSet<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> packages.add(packageOf(f)));
        }
        assertEquals(packages, new TreeSet<>(table()));
    }

    @Test
    void noPackageUsesOneAboveIt() throws IOException {
        List<String> order = table();
        List<String> upward = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String own = packageOf(f);
                Matcher m = USE.matcher(Files.readString(f));
                while (m.find()) {
                    String used = m.group(1);
                    if (!used.equals(own) && order.contains(used) && order.indexOf(used) < order.indexOf(own)) {
                        upward.add(MAIN.relativize(f) + " uses " + used);
                    }
                }
            }
        }
        assertTrue(upward.isEmpty(), String.join("\n", upward));
    }
}
