package io.metal3.icc.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * What the Containerfiles promise that dockerfilelint cannot see through build arguments (its
 * missing_tag rule is off: .dockerfilelintrc). ContainerIT builds and runs the image itself.
 */
class ContainerfileTest {

    static final Pattern IMAGE_ARG = Pattern.compile("(?m)^ARG (\\w+_IMAGE)=(\\S+)$");

    static List<String[]> imageArgs(Path file) throws IOException {
        Matcher m = IMAGE_ARG.matcher(Files.readString(file));
        return m.results().map(r -> new String[] {r.group(1), r.group(2)}).toList();
    }

    @Test
    void everyDefaultBaseImageNamesARegistryAndATag() throws IOException {
        List<String[]> args = imageArgs(Path.of("Containerfile"));
        assertEquals(List.of("BUILDER_IMAGE", "BASE_IMAGE"), args.stream().map(a -> a[0]).toList());
        for (String[] a : args) {
            assertTrue(a[1].matches("[a-z0-9.-]+\\.[a-z]+/[a-z0-9./_-]+:[\\w.-]+"), a[0] + "=" + a[1] + " names registry/repository:tag");
        }
        assertTrue(args.get(1)[1].startsWith("icr.io/appcafe/open-liberty:"), "users get the official Open Liberty image");
        for (String[] a : imageArgs(Path.of("src/test/container/standin/Containerfile"))) {
            assertTrue(a[1].matches("localhost/[\\w./-]+:[\\w.-]+"), a[0] + "=" + a[1]);
        }
    }

    @Test
    void theWarComesFromTheStageWarFromSelects() throws IOException {
        String file = Files.readString(Path.of("Containerfile"));
        assertTrue(file.contains("\nARG WAR_FROM=build\n"), "compiles in the builder unless told otherwise");
        assertTrue(file.contains("\nFROM ${BUILDER_IMAGE} AS build\n") && file.contains("\nFROM scratch AS prebuilt\n")
                && file.contains("\nFROM ${WAR_FROM} AS war\n"), file);
        assertTrue(file.contains("--from=war /src/target/image-customization-controller.war /config/apps/"), file);
        String ignore = Files.readString(Path.of(".containerignore"));
        assertTrue(ignore.contains("target/*\n!target/image-customization-controller.war\n"), "the context carries the WAR only");
    }
}
