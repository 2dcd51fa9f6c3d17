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
