package io.metal3.icc.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metal3.icc.demo.IsoWriter;
import io.metal3.icc.image.EmbedAreaTooSmallException;
import io.metal3.icc.image.BaseFingerprint;
import io.metal3.icc.image.IgnitionArchive;
import io.metal3.icc.image.ImageFormat;
import io.metal3.icc.image.InvalidBaseImageException;

class ImageRegistryTest {

    @TempDir
    Path dir;
    Path iso;
    Path initrd;
    final ImageRegistry registry = new ImageRegistry();
    final byte[] ign = "{\"ignition\":{\"version\":\"3.2.0\"}}".getBytes(StandardCharsets.UTF_8);

    @BeforeEach
    void bases() throws IOException {
        iso = dir.resolve("base.iso");
        IsoWriter.write(iso, "t", List.of(new IsoWriter.FileEntry("images/ignition.img", 4096, out -> out.write(new byte[4096]))));
        initrd = dir.resolve("base.initramfs");
        Files.write(initrd, new byte[] {1, 2, 3});
    }

    @Test
    void registerFindRemove() throws Exception {
        registry.register("a.iso", ImageFormat.ISO, "", ign, iso);
        assertTrue(registry.find("a.iso").isPresent());
        assertFalse(registry.find("A.ISO").isPresent(), "names match exactly");
        assertFalse(registry.find("../a.iso").isPresent());
        assertFalse(registry.find(null).isPresent());
        assertEquals(1, registry.size());
        assertTrue(registry.remove("a.iso"));
        assertFalse(registry.remove("a.iso"));
        assertFalse(registry.find("a.iso").isPresent());
    }

    @Test
    void etagIsStableAndFollowsIgnitionAndBase() throws Exception {
        String e1 = registry.register("a", ImageFormat.INITRD, "", ign, initrd).current().etag();
        assertTrue(e1.matches("\"[0-9a-f]{32}\""), e1);
        assertEquals(e1, registry.register("b", ImageFormat.INITRD, "", ign, initrd).current().etag(),
                "same inputs, same tag");
        assertNotEquals(e1, registry.register("c", ImageFormat.INITRD, "", "{}".getBytes(), initrd).current().etag());
        assertNotEquals(e1, registry.register("d", ImageFormat.ISO, "", ign, iso).current().etag());

        RegisteredImage a = registry.find("a").orElseThrow();
        ServedImage before = a.current();
        assertSame(before, a.current(), "no recomputation while the base is unchanged");
        Files.write(initrd, new byte[] {1, 2, 3, 4, 5});
        Files.setLastModifiedTime(initrd, FileTime.from(Instant.now().plusSeconds(5)));
        ServedImage after = a.current();
        assertNotEquals(before.etag(), after.etag());
        assertEquals(5 + IgnitionArchive.of(ign).length, after.layout().size());
    }

    @Test
    void etagComesFromContentNotFromPathInodeOrMtime() throws Exception {
        // Replicas have their own copies of the base file: same bytes must give the same ETag.
        Path copy = dir.resolve("elsewhere.initramfs");
        Files.copy(initrd, copy);
        Files.setLastModifiedTime(copy, FileTime.from(Instant.now().minusSeconds(3600)));
        String original = registry.register("a", ImageFormat.INITRD, "", ign, initrd).current().etag();
        assertEquals(original, new ImageRegistry().register("a", ImageFormat.INITRD, "", ign, copy).current().etag());
        assertEquals(original, registry.register("b", ImageFormat.INITRD, "", ign, copy).current().etag());
    }

    @Test
    void fingerprintCoversEveryByte() throws Exception {
        byte[] big = new byte[5 << 20]; // the middle MiBs are outside the hashed edges
        new java.util.Random(9).nextBytes(big);
        Path f = dir.resolve("big.bin");
        Files.write(f, big);
        String before = BaseFingerprint.of(f, big.length);
        assertEquals(before, BaseFingerprint.of(f, big.length), "deterministic");
        big[big.length / 2] ^= 1;
        Files.write(f, big);
        assertNotEquals(before, BaseFingerprint.of(f, big.length));
        assertThrows(java.io.IOException.class, () -> BaseFingerprint.of(f, big.length + 10L), "shorter than said");
    }

    @Test
    void servedInitramfsBytes() throws Exception {
        ServedImage s = registry.register("x.initramfs", ImageFormat.INITRD, "", ign, initrd).current();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (FileChannel ch = FileChannel.open(initrd, StandardOpenOption.READ)) {
            s.layout().write(ch, 0, s.layout().size(), out, new byte[2]);
        }
        byte[] archive = IgnitionArchive.of(ign);
        byte[] expected = new byte[3 + archive.length];
        expected[0] = 1;
        expected[1] = 2;
        expected[2] = 3;
        System.arraycopy(archive, 0, expected, 3, archive.length);
        assertArrayEquals(expected, out.toByteArray());
    }

    @Test
    void badInputsFailAtRegistration() throws IOException {
        assertThrows(InvalidBaseImageException.class,
                () -> registry.register("m", ImageFormat.ISO, "", ign, dir.resolve("missing.iso")));
        assertThrows(InvalidBaseImageException.class,
                () -> registry.register("d", ImageFormat.ISO, "", ign, dir));
        assertThrows(InvalidBaseImageException.class,
                () -> registry.register("n", ImageFormat.ISO, "", ign, initrd), "an initramfs is not an ISO");
        byte[] big = new byte[200_000];
        new java.util.Random(5).nextBytes(big); // incompressible: larger than the 4 KiB area
        var e = assertThrows(EmbedAreaTooSmallException.class, () -> registry.register("b", ImageFormat.ISO, "", big, iso));
        assertTrue(e.getMessage().endsWith("exceeds embed area size (4096)"), e.getMessage());
        assertEquals(0, registry.size(), "nothing registered on failure");
    }

    @Test
    void publishUrlKeepsThePath() {
        assertEquals("http://127.0.0.1:8084/w.iso", ImageRegistry.publishUrl(URI.create("http://127.0.0.1:8084"), "w.iso").toString());
        assertEquals("http://h/p/w.iso", ImageRegistry.publishUrl(URI.create("http://h/p/"), "w.iso").toString());
        assertEquals("http://h/p/w.iso", ImageRegistry.publishUrl(URI.create("http://h/p"), "w.iso").toString());
    }
}
