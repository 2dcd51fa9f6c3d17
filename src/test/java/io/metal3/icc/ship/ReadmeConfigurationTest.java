package io.metal3.icc.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.metal3.icc.config.Settings;

/** README's configuration table names exactly the variables the code reads. */
class ReadmeConfigurationTest {

    @Test
    void documentedVariablesAreTheOnesTheCodeReads() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("| variable | default | effect |");
        int end = readme.indexOf("\n\n", start);
        Set<String> documented = new TreeSet<>();
        for (String row : readme.substring(start, end).lines().skip(2).toList()) {
            Matcher m = Pattern.compile("`([A-Z][A-Z0-9_]+)`").matcher(row.split("\\|")[1]);
            while (m.find()) {
                documented.add(m.group(1));
            }
        }
        Set<String> read = new TreeSet<>(Settings.VARIABLES);
        read.addAll(Settings.PROCESS_VARIABLES);
        assertEquals(read, documented);
    }
}
