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
        assertTrue(e.getMessage().contains("neither /coreos/igninfo.json nor /images/ignition.img"), e.getMessage());
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

    /** xorriso's own report of a file's extent and size: {lba, bytes}. */
    static long[] xorrisoExtent(Path dir, String iso, String path) {
        String report = Tools.sh(dir, "xorriso -indev " + iso + " -find " + path + " -exec report_lba -- 2>&1").stdout();
        Matcher m = Pattern.compile("File data lba:\\s*0\\s*,\\s*(\\d+)\\s*,\\s*\\d+\\s*,\\s*(\\d+)\\s*,").matcher(report);
        assertTrue(m.find(), report);
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }

    @Test
    void igninfoNamingIgnitionImgWithoutOffsetOrLengthIsTheWholeFile(@TempDir Path dir) throws Exception {
        Path iso = Tools.coreosIso(dir, "x86.iso", "{\"file\": \"images/ignition.img\"}", 4096, true);
        long[] img = xorrisoExtent(dir, "x86.iso", "/images/ignition.img");
        assertEquals(new EmbedArea(img[0] * 2048, img[1]), inspect(iso));
    }

    @Test
    void s390xIgninfoPutsTheAreaInsideCdbootAtAnOffset(@TempDir Path dir) throws Exception {
        // The figures of a real s390x ISO; there is no images/ignition.img at all.
        Path iso = Tools.coreosIso(dir, "s390x.iso",
                "{\"file\": \"images/cdboot.img\", \"offset\": 132096, \"length\": 262144}", 600_000, false);
        long[] cdboot = xorrisoExtent(dir, "s390x.iso", "/images/cdboot.img");
        assertEquals(new EmbedArea(cdboot[0] * 2048 + 132096, 262144), inspect(iso));
        // Without a length: the rest of the file.
        Path rest = Tools.coreosIso(dir, "rest.iso", "{\"file\": \"/images/cdboot.img\", \"offset\": 1000}", 600_000, false);
        long[] r = xorrisoExtent(dir, "rest.iso", "/images/cdboot.img");
        assertEquals(new EmbedArea(r[0] * 2048 + 1000, 600_000 - 1000), inspect(rest));
    }

    @Test
    void igninfoOutsideItsFileOrNamingNoFileIsAClearError(@TempDir Path dir) throws Exception {
        Path outside = Tools.coreosIso(dir, "out.iso",
                "{\"file\": \"images/cdboot.img\", \"offset\": 500000, \"length\": 262144}", 600_000, false);
        var e = assertThrows(InvalidBaseImageException.class, () -> inspect(outside));
        assertEquals("base ISO's /coreos/igninfo.json gives an embed area (offset 500000, length 262144) outside"
                + " images/cdboot.img (600000 bytes)", e.getMessage());
        // Through the inspector every image uses, the message also names the ISO file.
        e = assertThrows(InvalidBaseImageException.class,
                () -> new BaseImageInspector().embedArea(BaseFileState.of(outside)));
        assertTrue(e.getMessage().startsWith("base ISO " + outside + "'s /coreos/igninfo.json gives"), e.getMessage());
        Path missing = Tools.coreosIso(dir, "missing.iso", "{\"file\": \"images/nothere.img\"}", 1000, false);
        e = assertThrows(InvalidBaseImageException.class, () -> inspect(missing));
        assertTrue(e.getMessage().contains("names images/nothere.img as the embed area's file, but the ISO has no such file"),
                e.getMessage());
        Path garbage = Tools.coreosIso(dir, "garbage.iso", "not json", 1000, true);
        e = assertThrows(InvalidBaseImageException.class, () -> inspect(garbage));
        assertTrue(e.getMessage().startsWith("base ISO's /coreos/igninfo.json cannot be read"), e.getMessage());
    }

    @Test
    void shortNames() {
        assertEquals("igninfo.jso", IsoInspector.short83("igninfo.json"));
        assertEquals("ignition.img", IsoInspector.short83("ignition.img"));
        assertEquals("abcdefgh", IsoInspector.short83("abcdefghij"));
    }

    static EmbedArea inspect(Path iso) throws IOException, InvalidBaseImageException {
        try (FileChannel ch = FileChannel.open(iso, StandardOpenOption.READ)) {
            return IsoInspector.locateIgnitionArea(ch, ch.size());
        }
    }
}
