package io.metal3.icc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metal3.icc.controller.Conditions;
import io.metal3.icc.crd.PreprovisioningImage;
import io.metal3.icc.crd.PreprovisioningImageSpec;
import io.metal3.icc.testing.Tools;

/**
 * The real Liberty server in controller mode (icc-controller), against the mock API server process
 * that pre-integration-test started before it: a Secret and a PreprovisioningImage go in, and the
 * image at the status' URL carries that host's network configuration.
 */
class ControllerModeIT {

    static final Path IT_DIR = Path.of(System.getProperty("it.dir", "target/it"));
    static final String BASE = "http://localhost:" + System.getProperty("it.controller.port", "18085");
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static KubernetesClient client;

    @BeforeAll
    static void connect() throws Exception {
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(IT_DIR.resolve("kubeconfig"))))
                .build();
        long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < end) {
            try {
                if (get("/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not up yet
            }
            Thread.sleep(200);
        }
        fail("controller-mode server not ready: " + new String(get("/health/ready").body(), StandardCharsets.UTF_8));
    }

    @AfterAll
    static void close() {
        client.close();
    }

    static HttpResponse<byte[]> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(BASE + path)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static PreprovisioningImage awaitReady(String name) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            PreprovisioningImage p = client.resources(PreprovisioningImage.class).inNamespace("metal3").withName(name).get();
            if (p.getStatus() != null && Conditions.isTrue(p.getStatus().getConditions(), "Ready")) {
                return p;
            }
            Thread.sleep(100);
        }
        fail("not Ready: " + client.getKubernetesSerialization().asYaml(
                client.resources(PreprovisioningImage.class).inNamespace("metal3").withName(name).get()));
        return null;
    }

    static PreprovisioningImage createInitrd(String name, String arch, String stream) {
        return create(name, arch, stream, "initrd", null);
    }

    static PreprovisioningImage create(String name, String arch, String stream, String format, String secret) {
        PreprovisioningImage ppi = new PreprovisioningImage();
        ppi.setMetadata(new ObjectMetaBuilder().withNamespace("metal3").withName(name).build());
        if (stream != null) {
            ppi.getMetadata().setLabels(java.util.Map.of("coreos.openshift.io/stream", stream));
        }
        PreprovisioningImageSpec spec = new PreprovisioningImageSpec();
        spec.setArchitecture(arch);
        spec.setNetworkDataName(secret);
        spec.setAcceptFormats(new ArrayList<>(List.of(format)));
        ppi.setSpec(spec);
        return client.resource(ppi).create();
    }

    static HttpResponse<byte[]> get(String url, String range) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        if (range != null) {
            b.header("Range", range);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void pxeImagesGetTheirArchitecturesKernelAndRootfsAndAStreamItsOwnFiles() throws Exception {
        String host = io.metal3.icc.hostimage.BaseImages.hostArchitecture();
        String rootfs = "http://192.0.2.10:8080/images/ironic-python-agent";
        createInitrd("pxe-host", "", null);
        createInitrd("pxe-z", "s390x", null);
        createInitrd("pxe-r10", "", "rhel-10");

        PreprovisioningImage h = awaitReady("pxe-host");
        assertEquals(BASE + "/kernel-" + host, h.getStatus().getKernelUrl());
        assertEquals("coreos.live.rootfs_url=" + rootfs + ".rootfs", h.getStatus().getExtraKernelParams());
        byte[] kernel = Files.readAllBytes(IT_DIR.resolve("base.kernel"));
        HttpResponse<byte[]> k = get(h.getStatus().getKernelUrl(), null);
        assertEquals(200, k.statusCode());
        org.junit.jupiter.api.Assertions.assertArrayEquals(kernel, k.body(), "the kernel as it is");
        HttpResponse<byte[]> part = get(h.getStatus().getKernelUrl(), "bytes=1000-1999");
        assertEquals(206, part.statusCode());
        assertEquals("bytes 1000-1999/" + kernel.length, part.headers().firstValue("Content-Range").orElseThrow());
        org.junit.jupiter.api.Assertions.assertArrayEquals(java.util.Arrays.copyOfRange(kernel, 1000, 2000), part.body());
        assertTrue(k.headers().firstValue("ETag").isPresent());

        PreprovisioningImage z = awaitReady("pxe-z");
        assertEquals(BASE + "/kernel-s390x", z.getStatus().getKernelUrl());
        assertEquals("coreos.live.rootfs_url=" + rootfs + "_s390x.rootfs", z.getStatus().getExtraKernelParams());
        org.junit.jupiter.api.Assertions.assertArrayEquals(Files.readAllBytes(IT_DIR.resolve("base_s390x.kernel")),
                get(z.getStatus().getKernelUrl(), null).body());

        PreprovisioningImage r = awaitReady("pxe-r10");
        assertEquals(BASE + "/kernel-rhel-10-" + host, r.getStatus().getKernelUrl());
        assertEquals("coreos.live.rootfs_url=" + rootfs + "-rhel-10.rootfs", r.getStatus().getExtraKernelParams());
        byte[] streamInitrd = Files.readAllBytes(IT_DIR.resolve("base-rhel-10.initramfs"));
        byte[] served = get(r.getStatus().getImageUrl(), null).body();
        assertTrue(served.length > streamInitrd.length);
        org.junit.jupiter.api.Assertions.assertArrayEquals(streamInitrd, java.util.Arrays.copyOf(served, streamInitrd.length),
                "built from the stream's own initramfs");
        org.junit.jupiter.api.Assertions.assertArrayEquals(Files.readAllBytes(IT_DIR.resolve("base-rhel-10.kernel")),
                get(r.getStatus().getKernelUrl(), null).body());
    }

    @Test
    void s390xStyleBaseIsCustomisedWhereIgninfoSays(@TempDir Path dir) throws Exception {
        create("zvm-1", "s390x", null, "iso", null);
        PreprovisioningImage ready = awaitReady("zvm-1");
        assertEquals("s390x", ready.getStatus().getArchitecture());
        HttpResponse<byte[]> iso = HTTP.send(HttpRequest.newBuilder(URI.create(ready.getStatus().getImageUrl())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, iso.statusCode());
        Files.write(dir.resolve("served.iso"), iso.body());
        Files.copy(IT_DIR.resolve("base_s390x.iso"), dir.resolve("base.iso"));
        Tools.sh(dir, "xorriso -osirrox on -indev served.iso -extract /images/cdboot.img cdboot.out 2>/dev/null");
        byte[] cdboot = Files.readAllBytes(dir.resolve("cdboot.out"));
        Files.write(dir.resolve("area.gz"), java.util.Arrays.copyOfRange(cdboot, ItFixtures.S390X_OFFSET,
                ItFixtures.S390X_OFFSET + ItFixtures.S390X_LENGTH));
        Files.createDirectories(dir.resolve("x"));
        Tools.sh(dir.resolve("x"), "gzip -dc < ../area.gz 2>/dev/null | cpio -idm --quiet");
        assertTrue(Files.readString(dir.resolve("x/config.ign")).contains("IPA_DEFAULT_HOSTNAME=zvm-1"));
        // Outside the area the served ISO is the base, byte for byte.
        String differing = Tools.sh(dir, "cmp -l base.iso served.iso | awk '{print $1}' | sort -n | sed -n '1p;$p'")
                .stdout().strip();
        String report = Tools.sh(dir, "xorriso -indev base.iso -find /images/cdboot.img -exec report_lba -- 2>&1").stdout();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("File data lba:\\s*0\\s*,\\s*(\\d+)").matcher(report);
        assertTrue(m.find(), report);
        long areaStart = Long.parseLong(m.group(1)) * 2048 + ItFixtures.S390X_OFFSET;
        for (String line : differing.split("\n")) {
            long at = Long.parseLong(line.strip()) - 1;
            assertTrue(at >= areaStart && at < areaStart + ItFixtures.S390X_LENGTH, "byte " + at + " differs outside the area");
        }
    }

    @Test
    void ppiBecomesReadyAndItsIsoCarriesTheHostsNetwork(@TempDir Path dir) throws Exception {
        String nmstate = "interfaces:\n- name: enp1s0\n  type: ethernet\n  state: up\n  ipv4:\n    enabled: true\n"
                + "    address:\n    - ip: 198.51.100.77\n      prefix-length: 24\n";
        client.resource(new SecretBuilder().withNewMetadata().withNamespace("metal3").withName("worker-5-network")
                .endMetadata().addToData("nmstate", Base64.getEncoder().encodeToString(nmstate.getBytes(StandardCharsets.UTF_8)))
                .build()).create();
        create("worker-5", null, null, "iso", "worker-5-network");

        PreprovisioningImage ready = null;
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            PreprovisioningImage p = client.resources(PreprovisioningImage.class).inNamespace("metal3").withName("worker-5").get();
            if (p.getStatus() != null && Conditions.isTrue(p.getStatus().getConditions(), "Ready")) {
                ready = p;
                break;
            }
            Thread.sleep(100);
        }
        if (ready == null) {
            fail("not Ready: " + client.getKubernetesSerialization().asYaml(
                    client.resources(PreprovisioningImage.class).inNamespace("metal3").withName("worker-5").get()));
        }
        String url = ready.getStatus().getImageUrl();
        assertTrue(url.startsWith(BASE + "/"), url);

        HttpResponse<byte[]> iso = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, iso.statusCode());
        assertEquals(Files.size(IT_DIR.resolve("base.iso")), iso.body().length);
        Files.write(dir.resolve("out.iso"), iso.body());
        String ignition = Tools.ignitionFromIso(dir, "out.iso", "/IMAGES/IGNITION.IMG");
        assertTrue(ignition.contains("/etc/NetworkManager/system-connections/enp1s0.nmconnection"), ignition);
        assertTrue(ignition.contains("address0%3D198.51.100.77%2F24"), ignition);
        assertTrue(ignition.contains("IPA_DEFAULT_HOSTNAME=worker-5"), ignition);

        assertEquals(404, get("/").statusCode(), "no listing");
        assertEquals(404, get("/0123456789abcdef0123456789abcdef").statusCode());
        String metrics = new String(get("/metrics?scope=application").body(), StandardCharsets.UTF_8);
        assertTrue(metrics.matches("(?s).*icc_reconciles_total\\{[^}]*result=\"ok\"[^}]*\\} [1-9].*"), metrics);
        assertTrue(metrics.contains("icc_reconcile_duration"), metrics);
        // Every metric the alerts and the dashboard of k8s/monitoring use is one this server exports.
        for (String name : io.metal3.icc.ship.MonitoringManifestsTest.metricNames()) {
            assertTrue(java.util.regex.Pattern.compile("(?m)^" + name + "[{ ]").matcher(metrics).find(),
                    name + " is used by k8s/monitoring but not exported:\n" + metrics);
        }
        assertTrue(metrics.matches("(?s).*\nicc_ready\\{[^}]*\\} 1(\\.0)?\n.*"), "ready, as /health/ready says");
        assertTrue(metrics.matches("(?s).*\nicc_leader\\{[^}]*\\} 1(\\.0)?\n.*"), "a single replica leads");
    }
}
