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
import io.metal3.icc.controller.PreprovisioningImage;
import io.metal3.icc.controller.PreprovisioningImageSpec;
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

    @Test
    void ppiBecomesReadyAndItsIsoCarriesTheHostsNetwork(@TempDir Path dir) throws Exception {
        String nmstate = "interfaces:\n- name: enp1s0\n  type: ethernet\n  state: up\n  ipv4:\n    enabled: true\n"
                + "    address:\n    - ip: 198.51.100.77\n      prefix-length: 24\n";
        client.resource(new SecretBuilder().withNewMetadata().withNamespace("metal3").withName("worker-5-network")
                .endMetadata().addToData("nmstate", Base64.getEncoder().encodeToString(nmstate.getBytes(StandardCharsets.UTF_8)))
                .build()).create();
        PreprovisioningImage ppi = new PreprovisioningImage();
        ppi.setMetadata(new ObjectMetaBuilder().withNamespace("metal3").withName("worker-5").build());
        PreprovisioningImageSpec spec = new PreprovisioningImageSpec();
        spec.setNetworkDataName("worker-5-network");
        spec.setAcceptFormats(new ArrayList<>(List.of("iso")));
        ppi.setSpec(spec);
        client.resource(ppi).create();

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
    }
}
