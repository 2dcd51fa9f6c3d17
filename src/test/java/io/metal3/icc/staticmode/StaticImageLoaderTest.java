package io.metal3.icc.staticmode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metal3.icc.config.Settings;
import io.metal3.icc.demo.SampleImages;
import io.metal3.icc.registry.ImageRegistry;

class StaticImageLoaderTest {

    /** Upstream TestLoadStaticNMState: empty files nm0..nm2 → six images, in this order. */
    @Test
    void loadStaticNMState(@TempDir Path dir) throws Exception {
        SampleImages.generate(dir, 4096);
        Path nm = Files.createDirectories(dir.resolve("tmp/nmstate"));
        for (String n : List.of("nm2", "nm0", "nm1")) {
            Files.writeString(nm.resolve(n), "");
        }
        Settings s = settings(dir, nm, "http://example.com");
        ImageRegistry registry = new ImageRegistry();
        List<URI> urls = StaticImageLoader.load(s, registry);
        assertEquals(List.of("nm0.iso", "nm0.initramfs", "nm1.iso", "nm1.initramfs", "nm2.iso", "nm2.initramfs"),
                urls.stream().map(u -> u.getPath().substring(1)).toList());
        assertEquals("http://127.0.0.1:8084/nm0.iso", urls.get(0).toString());
        assertEquals(6, registry.size());
    }

    @Test
    void invalidInputNamesTheFile(@TempDir Path dir) throws Exception {
        SampleImages.generate(dir, 4096);
        Settings s = settings(dir, dir.resolve("nmstate"), "");
        var e = assertThrows(StaticModeException.class, () -> StaticImageLoader.load(s, new ImageRegistry()));
        assertTrue(e.getMessage().startsWith("problem generating ignition for worker-0.yaml: IRONIC_BASE_URL"), e.getMessage());
    }

    @Test
    void badBaseImageNamesTheVariable(@TempDir Path dir) throws Exception {
        SampleImages.generate(dir, 4096);
        Files.write(dir.resolve("base.iso"), new byte[100_000]);
        var e = assertThrows(StaticModeException.class,
                () -> StaticImageLoader.load(settings(dir, dir.resolve("nmstate"), "http://i"), new ImageRegistry()));
        assertTrue(e.getMessage().contains("check DEPLOY_ISO"), e.getMessage());
    }

    @Test
    void s390xStyleIsoIsCustomisedWhereIgninfoSaysAndNowhereElse(@TempDir Path dir) throws Exception {
        SampleImages.generate(dir, 4096);
        Files.delete(dir.resolve("base.iso"));
        Files.move(io.metal3.icc.testing.Tools.coreosIso(dir, "s390x.iso",
                "{\"file\": \"images/cdboot.img\", \"offset\": 132096, \"length\": 262144}", 600_000, false),
                dir.resolve("base.iso"));
        ImageRegistry registry = new ImageRegistry();
        StaticImageLoader.load(settings(dir, dir.resolve("nmstate"), "http://192.0.2.1"), registry);
        var served = registry.find("worker-0.iso").orElseThrow().current();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (var ch = java.nio.channels.FileChannel.open(dir.resolve("base.iso"))) {
            served.layout().write(ch, 0, served.layout().size(), out, new byte[65536]);
        }
        Files.write(dir.resolve("served.iso"), out.toByteArray());
        // Independent reading: xorriso extracts cdboot.img from the served ISO, GNU cpio unpacks the area.
        io.metal3.icc.testing.Tools.sh(dir, "xorriso -osirrox on -indev served.iso -extract /images/cdboot.img cdboot.out"
                + " 2>/dev/null && xorriso -osirrox on -indev base.iso -extract /images/cdboot.img cdboot.base 2>/dev/null");
        byte[] cdbootOut = Files.readAllBytes(dir.resolve("cdboot.out"));
        byte[] cdbootBase = Files.readAllBytes(dir.resolve("cdboot.base"));
        assertEquals(600_000, cdbootOut.length);
        Files.write(dir.resolve("area.gz"), java.util.Arrays.copyOfRange(cdbootOut, 132096, 132096 + 262144));
        Files.createDirectories(dir.resolve("x"));
        io.metal3.icc.testing.Tools.sh(dir.resolve("x"), "gzip -dc < ../area.gz 2>/dev/null | cpio -idm --quiet");
        String ign = Files.readString(dir.resolve("x/config.ign"));
        assertTrue(ign.contains("IPA_DEFAULT_HOSTNAME=worker-0"), ign);
        assertTrue(java.util.Arrays.equals(cdbootBase, 0, 132096, cdbootOut, 0, 132096), "cdboot.img before the area");
        assertTrue(java.util.Arrays.equals(cdbootBase, 132096 + 262144, 600_000, cdbootOut, 132096 + 262144, 600_000),
                "cdboot.img after the area");
        // Every byte of the ISO outside the area is the base's (cmp lists the differing bytes).
        assertEquals(Files.size(dir.resolve("base.iso")), served.layout().size(), "an ISO keeps its size");
        var cmp = io.metal3.icc.testing.Tools.sh(dir, "cmp -l base.iso served.iso | awk '{print $1}' | sort -n | sed -n '1p;$p'");
        String[] firstLast = cmp.stdout().strip().split("\n");
        long start = Long.parseLong(firstLast[0]) - 1;
        long end = Long.parseLong(firstLast[firstLast.length - 1]) - 1;
        String report = io.metal3.icc.testing.Tools.sh(dir, "xorriso -indev base.iso -find /images/cdboot.img -exec report_lba -- 2>&1").stdout();
        var m = java.util.regex.Pattern.compile("File data lba:\\s*0\\s*,\\s*(\\d+)").matcher(report);
        assertTrue(m.find(), report);
        long areaStart = Long.parseLong(m.group(1)) * 2048 + 132096;
        assertTrue(start >= areaStart && end < areaStart + 262144,
                "bytes differ only inside the area: " + start + ".." + end + " vs " + areaStart + "+262144");
    }

    static Settings settings(Path dir, Path nmstate, String ironic) {
        Map<String, String> env = Map.of(
                "DEPLOY_ISO", dir.resolve("base.iso").toString(),
                "DEPLOY_INITRD", dir.resolve("base.initramfs").toString(),
                "IRONIC_BASE_URL", ironic,
                "IRONIC_AGENT_IMAGE", "quay.io/tantsur/ironic-agent",
                "PULL_SECRET_PATH", dir.resolve("run/secrets/pull-secret").toString(),
                "NMSTATE_DIR", nmstate.toString());
        return Settings.load(k -> Optional.ofNullable(env.get(k)));
    }
}
