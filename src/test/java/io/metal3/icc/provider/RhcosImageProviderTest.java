package io.metal3.icc.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metal3.icc.config.Settings;
import io.metal3.icc.crd.SecretStatus;
import io.metal3.icc.demo.SampleImages;
import io.metal3.icc.hostimage.BaseImages;
import io.metal3.icc.registry.ImageRegistry;

public class RhcosImageProviderTest {

    /** A provider over the sample images of {@code dir} (also used by ControllerMockServerTest). */
    public static RhcosImageProvider provider(Path dir, ImageRegistry registry) {
        Map<String, String> env = Map.of(
                "DEPLOY_ISO", dir.resolve("base.iso").toString(),
                "DEPLOY_INITRD", dir.resolve("base.initramfs").toString(),
                "IRONIC_BASE_URL", "https://192.0.2.10",
                "IRONIC_AGENT_IMAGE", "quay.io/metal3-io/ironic-agent",
                "PULL_SECRET_PATH", dir.resolve("no-pull-secret").toString(),
                "IMAGES_PUBLISH_ADDR", "http://images.example:8084");
        Settings settings = Settings.load(k -> Optional.ofNullable(env.get(k)));
        return new RhcosImageProvider(settings, new BaseImages(settings.deployIso(), settings.deployInitrd(), settings.controller().deployKernel(),
                Optional.empty(), "x86_64"), registry, "test-key".getBytes(StandardCharsets.UTF_8));
    }


    static final ImageProvider.ImageData HOST = new ImageProvider.ImageData("ns", "worker-0", "uid-1", "", "iso", "",
            new SecretStatus("net", "7"));

    static Map<String, byte[]> net(String ip) {
        return Map.of("nmstate", ("interfaces: [{name: eno1, type: ethernet, ipv4: {enabled: true, address: [{ip: " + ip
                + ", prefix-length: 24}]}}]").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void urlsSurviveARestartAndChangeWithTheContent(@TempDir Path dir) throws Exception {
        SampleImages.generate(dir, 4096);
        String first = provider(dir, new ImageRegistry()).buildImage(HOST, net("192.0.2.1")).imageUrl();
        ImageRegistry afterRestart = new ImageRegistry();
        RhcosImageProvider restarted = provider(dir, afterRestart);
        assertEquals(first, restarted.buildImage(HOST, net("192.0.2.1")).imageUrl(), "same key and content: same URL");
        String rebuilt = restarted.buildImage(HOST, net("192.0.2.2")).imageUrl();
        assertNotEquals(first, rebuilt, "new content: new URL");
        assertEquals(1, afterRestart.size(), "the old name was dropped");
        String other = restarted.buildImage(new ImageProvider.ImageData("ns", "worker-1", "uid-2", "", "iso", "",
                new SecretStatus("net", "7")), net("192.0.2.2")).imageUrl();
        assertNotEquals(rebuilt, other, "other hosts never share a name");
        restarted.discardImage(HOST);
        assertEquals(1, afterRestart.size());
    }

    @Test
    void emptySecretMeansNoNetworkAndMissingKeyIsInvalid(@TempDir Path dir) throws Exception {
        SampleImages.generate(dir, 4096);
        RhcosImageProvider p = provider(dir, new ImageRegistry());
        assertTrue(p.buildImage(HOST, Map.of()).imageUrl().startsWith("http://images.example:8084/"));
        var e = assertThrows(ImageProvider.BuildInvalidException.class, () -> p.buildImage(HOST, Map.of("other", new byte[1])));
        assertEquals("Cannot generate image: network data Secret provided but missing required 'nmstate' key (it has [other])",
                e.getMessage());
    }

    /** A provider with DEPLOY_KERNEL and IRONIC_ROOTFS_URL, host architecture x86_64. */
    static RhcosImageProvider pxe(Path dir, ImageRegistry registry) {
        Map<String, String> env = Map.of(
                "DEPLOY_ISO", dir.resolve("base.iso").toString(),
                "DEPLOY_INITRD", dir.resolve("base.initramfs").toString(),
                "DEPLOY_KERNEL", dir.resolve("base.kernel").toString(),
                "IRONIC_ROOTFS_URL", "http://192.0.2.9/images/ironic-python-agent.rootfs",
                "IRONIC_BASE_URL", "https://192.0.2.10",
                "IRONIC_AGENT_IMAGE", "quay.io/metal3-io/ironic-agent",
                "PULL_SECRET_PATH", dir.resolve("no-pull-secret").toString(),
                "IMAGES_PUBLISH_ADDR", "http://images.example:8084");
        io.metal3.icc.config.Settings settings = io.metal3.icc.config.Settings.load(k -> java.util.Optional.ofNullable(env.get(k)));
        return new RhcosImageProvider(settings, new BaseImages(settings.deployIso(), settings.deployInitrd(),
                settings.controller().deployKernel(), java.util.Optional.empty(), "x86_64"), registry, "k".getBytes());
    }

    static ImageProvider.ImageData initrd(String name, String stream, String arch) {
        return new ImageProvider.ImageData("ns", name, "uid-" + name, stream, "initrd", arch, new SecretStatus());
    }

    @Test
    void initrdImagesGetTheirKernelAndRootfs(@TempDir Path dir) throws Exception {
        SampleImages.generate(dir, 4096);
        java.nio.file.Files.write(dir.resolve("base.kernel"), "host kernel".getBytes());
        for (String f : new String[] {"base_aarch64.iso", "base_aarch64.initramfs"}) {
            java.nio.file.Files.copy(dir.resolve(f.replace("_aarch64", "")), dir.resolve(f));
        }
        java.nio.file.Files.write(dir.resolve("base_aarch64.kernel"), "arm kernel".getBytes());
        ImageRegistry registry = new ImageRegistry();
        RhcosImageProvider p = pxe(dir, registry);

        ImageProvider.GeneratedImage host = p.buildImage(initrd("w0", "", ""), Map.of());
        assertEquals("http://images.example:8084/kernel-x86_64", host.kernelUrl());
        assertEquals("coreos.live.rootfs_url=http://192.0.2.9/images/ironic-python-agent.rootfs", host.extraKernelParams());
        var kernel = registry.find("kernel-x86_64").orElseThrow();
        assertEquals(11, kernel.current().layout().size(), "the kernel is served as it is");

        ImageProvider.GeneratedImage arm = p.buildImage(initrd("w1", "", "aarch64"), Map.of());
        assertEquals("http://images.example:8084/kernel-aarch64", arm.kernelUrl());
        assertEquals("coreos.live.rootfs_url=http://192.0.2.9/images/ironic-python-agent_aarch64.rootfs",
                arm.extraKernelParams());
        p.discardAll("ns", "w0");
        assertTrue(registry.find("kernel-x86_64").isPresent(), "kernels are shared, never discarded with an image");

        ImageProvider.GeneratedImage iso = p.buildImage(new ImageProvider.ImageData("ns", "w2", "u2", "", "iso", "",
                new SecretStatus()), Map.of());
        assertEquals(null, iso.kernelUrl(), "ISOs boot without");
        assertEquals(null, iso.extraKernelParams());
    }

    @Test
    void aMissingKernelIsAClearErrorNotAHalfWorkingImage(@TempDir Path dir) throws Exception {
        SampleImages.generate(dir, 4096);
        for (String f : new String[] {"base_s390x.iso", "base_s390x.initramfs"}) {
            java.nio.file.Files.copy(dir.resolve(f.replace("_s390x", "")), dir.resolve(f));
        }
        RhcosImageProvider p = pxe(dir, new ImageRegistry());
        var e = assertThrows(ImageProvider.BuildInvalidException.class, () -> p.buildImage(initrd("z", "", "s390x"), Map.of()));
        assertEquals("Cannot generate image: no kernel file available for architecture s390x: provide "
                + dir.resolve("base_s390x.kernel"), e.getMessage());
        // Without DEPLOY_KERNEL at all, the host's initrd boots as before (no kernel URL), others cannot.
        ImageRegistry r = new ImageRegistry();
        RhcosImageProvider plain = provider(dir, r);
        assertEquals(null, plain.buildImage(initrd("h", "", ""), Map.of()).kernelUrl());
    }

    @Test
    void aStreamBuildsFromItsOwnFilesAndALabelChangeDropsTheOldImage(@TempDir Path dir) throws Exception {
        SampleImages.generate(dir, 4096);
        java.nio.file.Files.write(dir.resolve("base.kernel"), "k".getBytes());
        java.nio.file.Files.copy(dir.resolve("base.iso"), dir.resolve("base-rhel-10.iso"));
        java.nio.file.Files.write(dir.resolve("base-rhel-10.initramfs"), new byte[777]);
        java.nio.file.Files.write(dir.resolve("base-rhel-10.kernel"), "rhel-10 kernel".getBytes());
        ImageRegistry registry = new ImageRegistry();
        RhcosImageProvider p = pxe(dir, registry);
        ImageProvider.GeneratedImage plain = p.buildImage(initrd("w", "", ""), Map.of());
        ImageProvider.GeneratedImage r10 = p.buildImage(initrd("w", "rhel-10", ""), Map.of());
        assertNotEquals(plain.imageUrl(), r10.imageUrl(), "the stream is part of the image's identity");
        assertEquals("http://images.example:8084/kernel-rhel-10-x86_64", r10.kernelUrl());
        assertEquals("coreos.live.rootfs_url=http://192.0.2.9/images/ironic-python-agent-rhel-10.rootfs", r10.extraKernelParams());
        String name = r10.imageUrl().substring(r10.imageUrl().lastIndexOf('/') + 1);
        assertEquals(dir.resolve("base-rhel-10.initramfs"), registry.find(name).orElseThrow().basePath());
        String old = plain.imageUrl().substring(plain.imageUrl().lastIndexOf('/') + 1);
        assertTrue(registry.find(old).isEmpty(), "one image per PreprovisioningImage: the unlabelled one went");
        var e = assertThrows(ImageProvider.BuildInvalidException.class, () -> p.buildImage(initrd("w", "rhel-11", ""), Map.of()));
        assertTrue(e.getMessage().contains("no base ISO and initramfs for stream 'rhel-11'"), e.getMessage());
    }

    @Test
    void unsupportedArchitectureHasNoBaseImage(@TempDir Path dir) throws Exception {
        SampleImages.generate(dir, 4096);
        RhcosImageProvider p = provider(dir, new ImageRegistry());
        var e = assertThrows(ImageProvider.BuildInvalidException.class, () -> p.buildImage(
                new ImageProvider.ImageData("ns", "w", "u", "", "iso", "aarch64", new SecretStatus()), Map.of()));
        assertTrue(e.getMessage().startsWith("Cannot generate image: Base Image not available"), e.getMessage());
    }
}
