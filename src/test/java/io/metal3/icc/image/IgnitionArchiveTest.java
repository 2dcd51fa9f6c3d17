package io.metal3.icc.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metal3.icc.testing.Tools;

class IgnitionArchiveTest {

    static final byte[] IGNITION = "{\"ignition\":{\"version\":\"3.2.0\"},\"x\":\"odd length!\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void newcLayoutIsExact() throws IOException {
        byte[] cpio = gunzip(IgnitionArchive.of(IGNITION));
        String header = new String(cpio, 0, 110, StandardCharsets.US_ASCII);
        assertEquals("070701", header.substring(0, 6), "newc magic");
        assertEquals(0100644, Integer.parseInt(header.substring(14, 22), 16), "mode");
        assertEquals(1, Integer.parseInt(header.substring(38, 46), 16), "nlink");
        assertEquals(IGNITION.length, Integer.parseInt(header.substring(54, 62), 16), "filesize");
        int nameSize = Integer.parseInt(header.substring(94, 102), 16);
        assertEquals("config.ign".length() + 1, nameSize, "namesize counts the NUL");
        assertEquals("config.ign\0", new String(cpio, 110, nameSize, StandardCharsets.US_ASCII));
        int data = align4(110 + nameSize);
        byte[] body = new byte[IGNITION.length];
        System.arraycopy(cpio, data, body, 0, body.length);
        assertArrayEquals(IGNITION, body);
        int trailer = align4(data + IGNITION.length);
        String t = new String(cpio, trailer, 110 + 11, StandardCharsets.US_ASCII);
        assertTrue(t.startsWith("070701") && t.endsWith("TRAILER!!!\0"), t);
        assertEquals(align4(trailer + 110 + 11), cpio.length, "no padding after the trailer");
    }

    @Test
    void deterministic() {
        assertArrayEquals(IgnitionArchive.of(IGNITION), IgnitionArchive.of(IGNITION));
    }

    @Test
    void gnuCpioExtractsExactlyTheIgnition(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("a.cpio.gz"), IgnitionArchive.of(IGNITION));
        Files.createDirectory(dir.resolve("x"));
        String listing = Tools.sh(dir, "gzip -dc a.cpio.gz | cpio -it 2>/dev/null").stdout();
        assertEquals("config.ign\n", listing);
        Tools.sh(dir.resolve("x"), "gzip -dc ../a.cpio.gz | cpio -idm --quiet");
        assertArrayEquals(IGNITION, Files.readAllBytes(dir.resolve("x/config.ign")));
        String mode = Tools.sh(dir.resolve("x"), "stat -c %a config.ign").stdout().strip();
        assertEquals("644", mode);
    }

    static byte[] gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    private static int align4(int n) {
        return (n + 3) & ~3;
    }
}
