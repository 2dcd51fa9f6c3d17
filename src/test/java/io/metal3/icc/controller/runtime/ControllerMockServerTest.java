package io.metal3.icc.controller.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metal3.icc.controller.Conditions;
import io.metal3.icc.crd.PreprovisioningImage;
import io.metal3.icc.crd.PreprovisioningImageSpec;
import io.metal3.icc.demo.SampleImages;
import io.metal3.icc.provider.RhcosImageProviderTest;
import io.metal3.icc.registry.ImageRegistry;
import io.metal3.icc.registry.ServedImage;

/**
 * The controller against fabric8's API server mock in CRUD mode: informers, watches, the status
 * subresource, real Ignition and real image bytes.
 */
class ControllerMockServerTest {

    static final String NS = "metal3";
    static KubernetesMockServer server;
    static KubernetesClient client;
    static ImageController controller;
    static final ImageRegistry REGISTRY = new ImageRegistry();
    /** A second replica that does not lead: it only serves what the statuses say. */
    static ImageController follower;
    static final ImageRegistry FOLLOWER_REGISTRY = new ImageRegistry();
    static final io.metal3.icc.testing.StrictCrudDispatcher API = new io.metal3.icc.testing.StrictCrudDispatcher();

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws IOException {
        server = io.metal3.icc.testing.MockApi.start(0, API);
        client = server.createClient();
        SampleImages.generate(dir, 1 << 20);
        controller = new ImageController(server.createClient(), Optional.empty(), RhcosImageProviderTest.provider(dir, REGISTRY), 4);
        controller.start();
        follower = new ImageController(server.createClient(), Optional.empty(), RhcosImageProviderTest.provider(dir, FOLLOWER_REGISTRY), 2,
                (r, t) -> { }, () -> false);
        follower.start();
    }

    @AfterAll
    static void stop() {
        controller.close();
        follower.close();
        client.close();
        server.destroy();
    }

    static String nmstate(String ip) {
        return "interfaces:\n- name: eno1\n  type: ethernet\n  state: up\n  ipv4:\n    enabled: true\n    address:\n"
                + "    - ip: " + ip + "\n      prefix-length: 24\n";
    }

    static Secret secret(String name, Map<String, String> data, boolean labelled) {
        SecretBuilder b = new SecretBuilder().withNewMetadata().withNamespace(NS).withName(name).endMetadata()
                .withStringData(data);
        if (labelled) {
            b.editMetadata().addToLabels("environment.metal3.io", "baremetal").endMetadata();
        }
        Secret s = b.build();
        // The mock stores stringData as given; the API server would turn it into data.
        Map<String, String> encoded = new HashMap<>();
        data.forEach((k, v) -> encoded.put(k, java.util.Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        s.setStringData(null);
        s.setData(encoded);
        return s;
    }

    static PreprovisioningImage ppi(String name, String secretName) {
        PreprovisioningImage p = new PreprovisioningImage();
        p.setMetadata(new ObjectMetaBuilder().withNamespace(NS).withName(name).build());
        PreprovisioningImageSpec spec = new PreprovisioningImageSpec();
        spec.setNetworkDataName(secretName);
        spec.setArchitecture("x86_64");
        spec.setAcceptFormats(new ArrayList<>(List.of("iso", "initrd")));
        p.setSpec(spec);
        return p;
    }

    static PreprovisioningImage get(String name) {
        return client.resources(PreprovisioningImage.class).inNamespace(NS).withName(name).get();
    }

    static PreprovisioningImage await(String name, String what, Predicate<PreprovisioningImage> done, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        PreprovisioningImage p = null;
        while (System.nanoTime() < end) {
            p = get(name);
            if (p != null && done.test(p)) {
                return p;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        fail(name + ": not " + what + " within " + timeout + "; last seen: "
                + (p == null ? "nothing" : client.getKubernetesSerialization().asYaml(p)));
        return null;
    }

    static boolean ready(PreprovisioningImage p) {
        return p.getStatus() != null && Conditions.isTrue(p.getStatus().getConditions(), Conditions.READY);
    }

    static Predicate<PreprovisioningImage> errorReason(String reason) {
        return p -> p.getStatus() != null && Conditions.find(p.getStatus().getConditions(), Conditions.ERROR)
                .filter(c -> "True".equals(c.getStatus()) && reason.equals(c.getReason())).isPresent();
    }

    static String name(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    /** The Ignition inside the served ISO, read back through the segment layout and cpio. */
    static String servedIgnition(String url) throws Exception {
        ServedImage s = REGISTRY.find(name(url)).orElseThrow().current();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        io.metal3.icc.image.EmbedArea area;
        try (FileChannel ch = FileChannel.open(s.base().path(), StandardOpenOption.READ)) {
            s.layout().write(ch, 0, s.layout().size(), out, new byte[65536]);
            area = io.metal3.icc.image.IsoInspector.locateIgnitionArea(ch, s.base().size());
        }
        byte[] iso = out.toByteArray();
        try (CpioArchiveInputStream cpio = new CpioArchiveInputStream(new GZIPInputStream(
                new java.io.ByteArrayInputStream(iso, (int) area.offset(), (int) area.length())))) {
            assertEquals("config.ign", cpio.getNextEntry().getName());
            return new String(cpio.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void secretThenPpiBecomesReadyWithTheHostsNetworkConfig() throws Exception {
        client.resource(secret("net-a", Map.of("nmstate", nmstate("192.0.2.21")), false)).create();
        client.resource(ppi("host-a", "net-a")).create();
        PreprovisioningImage p = await("host-a", "Ready", ControllerMockServerTest::ready, Duration.ofSeconds(30));
        assertEquals("iso", p.getStatus().getFormat());
        assertEquals("x86_64", p.getStatus().getArchitecture());
        assertEquals("net-a", p.getStatus().getNetworkData().getName());
        assertTrue(p.getStatus().getImageUrl().matches("http://images\\.example:8084/[0-9a-f]{32}"), p.getStatus().getImageUrl());
        assertEquals(List.of(PreprovisioningImage.FINALIZER), p.getMetadata().getFinalizers());
        String ign = servedIgnition(p.getStatus().getImageUrl());
        assertTrue(ign.contains("address0%3D192.0.2.21%2F24"), "the host's static address is in the image");
        assertTrue(ign.contains("IPA_DEFAULT_HOSTNAME=host-a"));
        Secret claimed = client.secrets().inNamespace(NS).withName("net-a").get();
        assertEquals("baremetal", claimed.getMetadata().getLabels().get("environment.metal3.io"));
        assertEquals("host-a", claimed.getMetadata().getOwnerReferences().get(0).getName());
        assertEquals(claimed.getMetadata().getResourceVersion(), p.getStatus().getNetworkData().getVersion());
    }

    @Test
    void secretEditGivesANewUrlAndTheOldOneGoes() throws Exception {
        client.resource(secret("net-b", Map.of("nmstate", nmstate("192.0.2.22")), true)).create();
        client.resource(ppi("host-b", "net-b")).create();
        String oldUrl = await("host-b", "Ready", ControllerMockServerTest::ready, Duration.ofSeconds(30)).getStatus().getImageUrl();

        Secret s = client.secrets().inNamespace(NS).withName("net-b").get();
        s.getData().put("nmstate", java.util.Base64.getEncoder().encodeToString(nmstate("192.0.2.122").getBytes(StandardCharsets.UTF_8)));
        client.resource(s).update();
        PreprovisioningImage p = await("host-b", "rebuilt", x -> ready(x) && !oldUrl.equals(x.getStatus().getImageUrl()),
                Duration.ofSeconds(30));
        assertNotEquals(oldUrl, p.getStatus().getImageUrl());
        assertTrue(REGISTRY.find(name(oldUrl)).isEmpty(), "the old URL answers 404");
        assertTrue(servedIgnition(p.getStatus().getImageUrl()).contains("192.0.2.122"));
    }

    @Test
    void deletionRemovesTheFinalizerAndTheImage() {
        client.resource(ppi("host-c", "")).create();
        String url = await("host-c", "Ready", ControllerMockServerTest::ready, Duration.ofSeconds(30)).getStatus().getImageUrl();
        assertTrue(REGISTRY.find(name(url)).isPresent());
        client.resources(PreprovisioningImage.class).inNamespace(NS).withName("host-c").delete();
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (get("host-c") != null && System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        assertEquals(null, get("host-c"), "gone once the finalizer is removed");
        long end2 = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (REGISTRY.find(name(url)).isPresent() && System.nanoTime() < end2) {
            Thread.onSpinWait();
        }
        assertTrue(REGISTRY.find(name(url)).isEmpty(), "URL answers 404");
    }

    @Test
    void missingSecretThenRecovery() {
        client.resource(ppi("host-d", "net-d")).create();
        PreprovisioningImage p = await("host-d", "MissingNetworkData", errorReason("MissingNetworkData"), Duration.ofSeconds(30));
        assertTrue(Conditions.find(p.getStatus().getConditions(), "Error").orElseThrow().getMessage()
                .startsWith("NetworkData secret not found"));
        client.resource(secret("net-d", Map.of("nmstate", nmstate("192.0.2.24")), false)).create();
        // Recovery comes from the timed requeue (10 s), as the Secret is not labelled yet.
        await("host-d", "Ready after the Secret appears", ControllerMockServerTest::ready, Duration.ofSeconds(40));
    }

    @Test
    void secretWithoutNmstateKeyIsBuildInvalid() {
        client.resource(secret("net-e", Map.of("networkData", "{}"), false)).create();
        client.resource(ppi("host-e", "net-e")).create();
        PreprovisioningImage p = await("host-e", "ImageBuildInvalid", errorReason("ImageBuildInvalid"), Duration.ofSeconds(30));
        assertEquals("Cannot generate image: network data Secret provided but missing required 'nmstate' key (it has [networkData])",
                Conditions.find(p.getStatus().getConditions(), "Error").orElseThrow().getMessage());
    }

    @Test
    void invalidNmstateIsBuildInvalidWithTheReason() {
        client.resource(secret("net-f", Map.of("nmstate", "interfaces:\n- name: eno1.5\n  type: vlan\n  vlan: {id: 5}\n"), false)).create();
        client.resource(ppi("host-f", "net-f")).create();
        PreprovisioningImage p = await("host-f", "ImageBuildInvalid", errorReason("ImageBuildInvalid"), Duration.ofSeconds(30));
        String m = Conditions.find(p.getStatus().getConditions(), "Error").orElseThrow().getMessage();
        assertTrue(m.contains("Missing 'vlan.base-iface' for interface 'eno1.5'"), m);
    }

    @Test
    void infraenvPpisAreNotOurs() throws Exception {
        PreprovisioningImage p = ppi("host-g", "");
        p.getMetadata().setLabels(Map.of(PreprovisioningImage.INFRAENV_LABEL, "env"));
        client.resource(p).create();
        client.resource(ppi("host-g2", "")).create();
        await("host-g2", "Ready", ControllerMockServerTest::ready, Duration.ofSeconds(30));
        PreprovisioningImage g = get("host-g");
        assertTrue(g.getMetadata().getFinalizers().isEmpty() && g.getStatus() == null, "untouched");
    }

    @Test
    void twoHundredPpisConverge() {
        for (int i = 0; i < 200; i++) {
            client.resource(ppi("many-" + i, "")).create();
        }
        for (int i = 0; i < 200; i++) {
            await("many-" + i, "Ready", ControllerMockServerTest::ready, Duration.ofSeconds(120));
        }
        // upstream's minimum: "Config changed", then "Generated image"; none from stale cached objects
        for (int i = 0; i < 200; i++) {
            assertEquals(2, API.statusWrites.get("/apis/metal3.io/v1alpha1/namespaces/metal3/preprovisioningimages/many-" + i)
                    .get(), "status writes of many-" + i);
            assertEquals(1, API.eventsByObject.get(NS + "/many-" + i + " ImageReady").get(), "one Event per image");
        }
        assertEquals(0, API.conflicts.get(), "no write from a stale object (409 on a real API server)");
        for (int i = 0; i < 200; i++) {
            String url = get("many-" + i).getStatus().getImageUrl();
            awaitTrue(() -> FOLLOWER_REGISTRY.find(name(url)).isPresent(), "the follower serves many-" + i);
        }
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("not within 30 s: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void followerServesTheLeadersUrlWithTheSameBytesAndEtag() throws Exception {
        client.resource(secret("net-h", Map.of("nmstate", nmstate("192.0.2.28")), false)).create();
        client.resource(ppi("host-h", "net-h")).create();
        String url = await("host-h", "Ready", ControllerMockServerTest::ready, Duration.ofSeconds(30)).getStatus().getImageUrl();
        awaitTrue(() -> FOLLOWER_REGISTRY.find(name(url)).isPresent(), "the follower registers the leader's URL");
        ServedImage mine = REGISTRY.find(name(url)).orElseThrow().current();
        ServedImage theirs = FOLLOWER_REGISTRY.find(name(url)).orElseThrow().current();
        assertEquals(mine.etag(), theirs.etag());
        assertArrayEquals(REGISTRY.find(name(url)).orElseThrow().ignition(), FOLLOWER_REGISTRY.find(name(url)).orElseThrow().ignition());
    }

    @Test
    void deletedSecretIsServedNowhere() {
        client.resource(secret("net-i", Map.of("nmstate", nmstate("192.0.2.29")), false)).create();
        client.resource(ppi("host-i", "net-i")).create();
        String url = await("host-i", "Ready", ControllerMockServerTest::ready, Duration.ofSeconds(30)).getStatus().getImageUrl();
        awaitTrue(() -> FOLLOWER_REGISTRY.find(name(url)).isPresent(), "the follower serves host-i");
        client.secrets().inNamespace(NS).withName("net-i").delete();
        await("host-i", "MissingNetworkData", errorReason("MissingNetworkData"), Duration.ofSeconds(30));
        awaitTrue(() -> REGISTRY.find(name(url)).isEmpty(), "the leader drops the image of a deleted Secret");
        awaitTrue(() -> FOLLOWER_REGISTRY.find(name(url)).isEmpty(), "the follower drops it too");
    }

    @Test
    void handedOverImageIsNotReadyAndServedNowhere() {
        client.resource(ppi("host-j", "")).create();
        String url = await("host-j", "Ready", ControllerMockServerTest::ready, Duration.ofSeconds(30)).getStatus().getImageUrl();
        awaitTrue(() -> FOLLOWER_REGISTRY.find(name(url)).isPresent(), "the follower serves host-j");
        PreprovisioningImage p = get("host-j");
        p.getMetadata().setLabels(Map.of(PreprovisioningImage.INFRAENV_LABEL, "env"));
        client.resource(p).update();
        PreprovisioningImage released = await("host-j", "released", x -> x.getMetadata().getFinalizers().isEmpty(),
                Duration.ofSeconds(30));
        assertFalse(ready(released), "not Ready with a URL that answers 404");
        assertTrue(released.getStatus().getImageUrl() == null || released.getStatus().getImageUrl().isEmpty());
        awaitTrue(() -> REGISTRY.find(name(url)).isEmpty(), "the leader drops it");
        awaitTrue(() -> FOLLOWER_REGISTRY.find(name(url)).isEmpty(), "the follower drops it");
    }
}
