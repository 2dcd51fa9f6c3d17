package io.metal3.icc.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metal3.icc.demo.SampleImages;
import io.metal3.icc.image.EmbedArea;
import io.metal3.icc.image.ImageFormat;
import io.metal3.icc.image.IsoInspector;
import io.metal3.icc.testing.Tools;

/** Proves served bytes with readers other than our own: xorriso, gzip, cpio, cmp. */
class ServedBytesToolTest {

    final ImageRegistry registry = new ImageRegistry();

    @Test
    void isoMadeByXorrisoCarriesTheIgnitionAndNothingElseChanges(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("images/pxeboot"));
        byte[] filler = new byte[300_000];
        new Random(7).nextBytes(filler);
        Files.write(src.resolve("images/pxeboot/initrd.img"), filler);
        byte[] previous = new byte[256 * 1024];
        new Random(8).nextBytes(previous); // an embed area that already holds data must not leak
        Files.write(src.resolve("images/ignition.img"), previous);
        Tools.sh(dir, "xorriso -as mkisofs -quiet -R -J -o base.iso src");
        Path base = dir.resolve("base.iso");
        byte[] ign = "{\"ignition\":{\"version\":\"3.2.0\"},\"storage\":{}}".getBytes(StandardCharsets.UTF_8);

        ServedImage served = registry.register("h.iso", ImageFormat.ISO, "", ign, base).current();
        materialise(served, base, dir.resolve("out.iso"));

        assertArrayEquals(ign, Tools.ignitionFromIso(dir, "out.iso", "/images/ignition.img").getBytes(StandardCharsets.UTF_8));

        EmbedArea area;
        try (FileChannel ch = FileChannel.open(base, StandardOpenOption.READ)) {
            area = IsoInspector.locateIgnitionArea(ch, ch.size());
        }
        assertEquals(Files.size(base), Files.size(dir.resolve("out.iso")));
        Tools.sh(dir, "cmp -n " + area.offset() + " base.iso out.iso");
        Tools.sh(dir, "cmp -i " + area.end() + ":" + area.end() + " base.iso out.iso");
        byte[] emb = Files.readAllBytes(dir.resolve("emb.img"));
        byte[] archiveTail = java.util.Arrays.copyOfRange(emb, (int) served.layout().segments().get(1).length(), emb.length);
        assertArrayEquals(new byte[archiveTail.length], archiveTail, "rest of the area zero-filled");
    }

    @Test
    void initramfsTailUnpacksWithCpio(@TempDir Path dir) throws Exception {
        SampleImages.generate(dir, 1 << 20);
        Path base = dir.resolve("base.initramfs");
        byte[] ign = "{\"ignition\":{\"version\":\"3.2.0\"}}".getBytes(StandardCharsets.UTF_8);
        ServedImage served = registry.register("h.initramfs", ImageFormat.INITRD, "", ign, base).current();
        materialise(served, base, dir.resolve("out.initramfs"));
        long baseSize = Files.size(base);
        Tools.sh(dir, "cmp -n " + baseSize + " base.initramfs out.initramfs");
        Files.createDirectory(dir.resolve("x"));
        Tools.sh(dir, "tail -c +" + (baseSize + 1) + " out.initramfs > tail.gz");
        assertEquals("config.ign\n", Tools.sh(dir, "gzip -dc tail.gz | cpio -it 2>/dev/null").stdout());
        Tools.sh(dir.resolve("x"), "gzip -dc ../tail.gz | cpio -idm --quiet");
        assertArrayEquals(ign, Files.readAllBytes(dir.resolve("x/config.ign")));
        // The kernel reads the concatenation as one stream of archives: so does GNU cpio after gzip.
        String all = Tools.sh(dir, "gzip -dc out.initramfs | cpio -it 2>/dev/null").stdout();
        assertEquals("etc\netc/os-release\ninit\n", all, "first archive listed up to its trailer");
    }

    @Test
    void sampleIsoServesIgnitionReadableByXorriso(@TempDir Path dir) throws Exception {
        SampleImages.generate(dir, 1 << 20);
        Path base = dir.resolve("base.iso");
        byte[] ign = "{\"ignition\":{\"version\":\"3.2.0\"},\"sample\":true}".getBytes(StandardCharsets.UTF_8);
        ServedImage served = registry.register("s.iso", ImageFormat.ISO, "", ign, base).current();
        materialise(served, base, dir.resolve("out.iso"));
        assertArrayEquals(ign, Tools.ignitionFromIso(dir, "out.iso", "/IMAGES/IGNITION.IMG").getBytes(StandardCharsets.UTF_8));
    }

    static void materialise(ServedImage served, Path base, Path target) throws IOException {
        try (FileChannel ch = FileChannel.open(base, StandardOpenOption.READ);
             OutputStream out = Files.newOutputStream(target)) {
            served.layout().write(ch, 0, served.layout().size(), out, new byte[65536]);
        }
    }
}
