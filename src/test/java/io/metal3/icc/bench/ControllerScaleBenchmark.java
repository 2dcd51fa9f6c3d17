package io.metal3.icc.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

import io.metal3.icc.config.Settings;
import io.metal3.icc.controller.Conditions;
import io.metal3.icc.controller.runtime.ImageController;
import io.metal3.icc.crd.PreprovisioningImage;
import io.metal3.icc.crd.PreprovisioningImageSpec;
import io.metal3.icc.demo.SampleImages;
import io.metal3.icc.hostimage.BaseImages;
import io.metal3.icc.provider.RhcosImageProvider;
import io.metal3.icc.registry.ImageRegistry;

/**
 * Time for N PreprovisioningImages (each with its own network Secret) to become Ready against
 * fabric8's CRUD mock API server. Run: bench/controller-scale.sh [N] [WORKERS].
 */
public final class ControllerScaleBenchmark {

    private ControllerScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        Path dir = Files.createTempDirectory("icc-bench");
        SampleImages.generate(dir, 1 << 20);
        KubernetesMockServer server = io.metal3.icc.testing.MockApi.start(0);
        Map<String, String> env = Map.of("DEPLOY_ISO", dir.resolve("base.iso").toString(),
                "DEPLOY_INITRD", dir.resolve("base.initramfs").toString(), "IRONIC_BASE_URL", "https://192.0.2.10",
                "IRONIC_AGENT_IMAGE", "quay.io/metal3-io/ironic-agent", "PULL_SECRET_PATH", dir.resolve("none").toString());
        Settings settings = Settings.load(k -> Optional.ofNullable(env.get(k)));
        ImageRegistry registry = new ImageRegistry();
        RhcosImageProvider provider = new RhcosImageProvider(settings, new BaseImages(settings.deployIso(),
                settings.deployInitrd(), settings.controller().deployKernel(), Optional.empty(), "x86_64"), registry, new byte[32]);
        try (KubernetesClient client = server.createClient();
             ImageController controller = new ImageController(server.createClient(), Optional.empty(), provider, workers)) {
            controller.start();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                String nm = "interfaces:\n- name: eno1\n  type: ethernet\n  state: up\n  ipv4:\n    enabled: true\n"
                        + "    address:\n    - ip: 10.0." + (i / 250) + "." + (i % 250 + 1) + "\n      prefix-length: 16\n";
                client.resource(new SecretBuilder().withNewMetadata().withNamespace("bench").withName("net-" + i)
                        .endMetadata().addToData("nmstate", Base64.getEncoder().encodeToString(nm.getBytes(StandardCharsets.UTF_8)))
                        .build()).create();
                PreprovisioningImage p = new PreprovisioningImage();
                p.setMetadata(new ObjectMetaBuilder().withNamespace("bench").withName("host-" + i).build());
                PreprovisioningImageSpec spec = new PreprovisioningImageSpec();
                spec.setNetworkDataName("net-" + i);
                spec.setAcceptFormats(new ArrayList<>(List.of("iso")));
                p.setSpec(spec);
                client.resource(p).create();
            }
            long created = System.nanoTime();
            int ready = 0;
            while (ready < n) {
                Thread.sleep(200);
                ready = (int) client.resources(PreprovisioningImage.class).inNamespace("bench").list().getItems().stream()
                        .filter(p -> p.getStatus() != null && Conditions.isTrue(p.getStatus().getConditions(), "Ready"))
                        .count();
            }
            long done = System.nanoTime();
            System.out.printf("%d PPIs (%d workers, %d cores): created in %.1f s, all Ready %.1f s after the first"
                            + " was created (%.0f PPIs/s); %d images registered%n", n, workers,
                    Runtime.getRuntime().availableProcessors(), (created - t0) / 1e9, (done - t0) / 1e9,
                    n / ((done - t0) / 1e9), registry.size());
        } finally {
            server.destroy();
        }
    }
}
