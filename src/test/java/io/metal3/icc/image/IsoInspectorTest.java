package io.metal3.icc.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metal3.icc.demo.IsoWriter;
import io.metal3.icc.testing.Tools;

class IsoInspectorTest {

    @Test
    void findsEmbedAreaInIsoMadeByXorrisoWithRockRidgeAndJoliet(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("images/pxeboot"));
        Files.write(src.resolve("images/pxeboot/initrd.img"), new byte[70_001]);
        Files.write(src.resolve("images/ignition.img"), new byte[256 * 1024]);
        Files.write(src.resolve("images/aaa-before.img"), new byte[5000]);
        Files.writeString(src.resolve("zz.txt"), "hello");
        Tools.sh(dir, "xorriso -as mkisofs -quiet -R -J -V rhcos -o x.iso src");
        // xorriso's own report: "File data lba: 0 , <lba> , <blocks> , <bytes> , '/images/ignition.img'"
        String report = Tools.sh(dir, "xorriso -indev x.iso -find /images/ignition.img -exec report_lba -- 2>&1").stdout();
        Matcher m = Pattern.compile("File data lba:\\s*0\\s*,\\s*(\\d+)\\s*,\\s*\\d+\\s*,\\s*(\\d+)\\s*,").matcher(report);
        assertTrue(m.find(), report);

        EmbedArea area = inspect(dir.resolve("x.iso"));
        assertEquals(Long.parseLong(m.group(1)) * 2048, area.offset());
        assertEquals(Long.parseLong(m.group(2)), area.length());
    }

    @Test
    void findsEmbedAreaInOwnSampleIso(@TempDir Path dir) throws Exception {
        Path iso = dir.resolve("s.iso");
        IsoWriter.write(iso, "t", List.of(
                new IsoWriter.FileEntry("images/pxeboot/initrd.img", 3000, out -> out.write(new byte[3000])),
                new IsoWriter.FileEntry("images/ignition.img", 8192, out -> out.write(new byte[8192]))));
        EmbedArea area = inspect(iso);
        assertEquals(8192, area.length());
        assertEquals(0, area.offset() % 2048);
        String listing = Tools.sh(dir, "isoinfo -i s.iso -l").stdout();
        // isoinfo prints "<size> <date> [ <lba> 00]  IGNITION.IMG;1"
        assertTrue(Pattern.compile("8192 .*\\[\\s*" + area.offset() / 2048 + " 00\\]\\s+IGNITION\\.IMG;1").matcher(listing).find(), listing);
    }

    @Test
    void notAnIso(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("not.iso");
        Files.write(f, new byte[64 * 1024]);
        var e = assertThrows(InvalidBaseImageException.class, () -> inspect(f));
        assertTrue(e.getMessage().contains("no ISO 9660 primary volume descriptor"), e.getMessage());
    }

    @Test
    void tinyFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("tiny.iso");
        Files.write(f, new byte[100]);
        assertThrows(InvalidBaseImageException.class, () -> inspect(f));
    }

    @Test
    void isoWithoutEmbedArea(@TempDir Path dir) throws Exception {
        Path iso = dir.resolve("plain.iso");
        IsoWriter.write(iso, "t", List.of(new IsoWriter.FileEntry("images/other.img", 10, out -> out.write(new byte[10]))));
        var e = assertThrows(InvalidBaseImageException.class, () -> inspect(iso));
        assertTrue(e.getMessage().contains("no /images/ignition.img"), e.getMessage());
    }

    @Test
    void truncatedIso(@TempDir Path dir) throws Exception {
        Path iso = dir.resolve("cut.iso");
        IsoWriter.write(iso, "t", List.of(new IsoWriter.FileEntry("images/ignition.img", 65536, out -> out.write(new byte[65536]))));
        try (FileChannel ch = FileChannel.open(iso, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 4096);
        }
        var e = assertThrows(InvalidBaseImageException.class, () -> inspect(iso));
        assertTrue(e.getMessage().startsWith("base ISO is truncated: its volume descriptor gives "), e.getMessage());
    }

    @Test
    void isoCutAfterItsEmbedAreaIsStillRefused(@TempDir Path dir) throws Exception {
        // A half-copied ISO whose embed area survived would otherwise be served, and fail to boot.
        Path iso = dir.resolve("half.iso");
        IsoWriter.write(iso, "t", List.of(
                new IsoWriter.FileEntry("images/ignition.img", 8192, out -> out.write(new byte[8192])),
                new IsoWriter.FileEntry("images/pxeboot/rootfs.img", 1 << 20, out -> out.write(new byte[1 << 20]))));
        long whole = Files.size(iso);
        EmbedArea area = inspect(iso);
        try (FileChannel ch = FileChannel.open(iso, StandardOpenOption.WRITE)) {
            ch.truncate(whole / 2);
        }
        assertTrue(area.end() < whole / 2, "the embed area is still whole");
        var e = assertThrows(InvalidBaseImageException.class, () -> inspect(iso));
        assertEquals("base ISO is truncated: its volume descriptor gives " + whole + " bytes, the file has "
                + whole / 2 + " (copy the ISO again)", e.getMessage());
    }

    static EmbedArea inspect(Path iso) throws IOException, InvalidBaseImageException {
        try (FileChannel ch = FileChannel.open(iso, StandardOpenOption.READ)) {
            return IsoInspector.locateIgnitionArea(ch, ch.size());
        }
    }
}
