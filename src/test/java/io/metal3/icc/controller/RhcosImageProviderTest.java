package io.metal3.icc.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metal3.icc.demo.SampleImages;
import io.metal3.icc.registry.ImageRegistry;

class RhcosImageProviderTest {

    static final ImageProvider.ImageData HOST = new ImageProvider.ImageData("ns", "worker-0", "uid-1", "iso", "",
            new SecretStatus("net", "7"));

    static Map<String, byte[]> net(String ip) {
        return Map.of("nmstate", ("interfaces: [{name: eno1, type: ethernet, ipv4: {enabled: true, address: [{ip: " + ip
                + ", prefix-length: 24}]}}]").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void urlsSurviveARestartAndChangeWithTheContent(@TempDir Path dir) throws Exception {
        SampleImages.generate(dir, 4096);
        String first = ControllerMockServerTest.provider(dir, new ImageRegistry()).buildImage(HOST, net("192.0.2.1"));
        ImageRegistry afterRestart = new ImageRegistry();
        RhcosImageProvider restarted = ControllerMockServerTest.provider(dir, afterRestart);
        assertEquals(first, restarted.buildImage(HOST, net("192.0.2.1")), "same key and content: same URL");
        String rebuilt = restarted.buildImage(HOST, net("192.0.2.2"));
        assertNotEquals(first, rebuilt, "new content: new URL");
        assertEquals(1, afterRestart.size(), "the old name was dropped");
        String other = restarted.buildImage(new ImageProvider.ImageData("ns", "worker-1", "uid-2", "iso", "",
                new SecretStatus("net", "7")), net("192.0.2.2"));
        assertNotEquals(rebuilt, other, "other hosts never share a name");
        restarted.discardImage(HOST);
        assertEquals(1, afterRestart.size());
    }

    @Test
    void emptySecretMeansNoNetworkAndMissingKeyIsInvalid(@TempDir Path dir) throws Exception {
        SampleImages.generate(dir, 4096);
        RhcosImageProvider p = ControllerMockServerTest.provider(dir, new ImageRegistry());
        assertTrue(p.buildImage(HOST, Map.of()).startsWith("http://images.example:8084/"));
        var e = assertThrows(ImageProvider.BuildInvalidException.class, () -> p.buildImage(HOST, Map.of("other", new byte[1])));
        assertEquals("Cannot generate image: network data Secret provided but missing required 'nmstate' key (it has [other])",
                e.getMessage());
    }

    @Test
    void unsupportedArchitectureHasNoBaseImage(@TempDir Path dir) throws Exception {
        SampleImages.generate(dir, 4096);
        RhcosImageProvider p = ControllerMockServerTest.provider(dir, new ImageRegistry());
        var e = assertThrows(ImageProvider.BuildInvalidException.class, () -> p.buildImage(
                new ImageProvider.ImageData("ns", "w", "u", "iso", "aarch64", new SecretStatus()), Map.of()));
        assertTrue(e.getMessage().startsWith("Cannot generate image: Base Image not available"), e.getMessage());
    }
}
