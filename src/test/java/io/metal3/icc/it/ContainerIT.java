package io.metal3.icc.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.metal3.icc.controller.Conditions;
import io.metal3.icc.crd.PreprovisioningImage;
import io.metal3.icc.crd.PreprovisioningImageSpec;
import io.metal3.icc.testing.Podman;
import io.metal3.icc.testing.Tools;

/**
 * The container image, built from the unchanged Containerfile (on a stand-in Open Liberty base:
 * src/test/container/build-images.sh) and run by Podman as k8s/deployment.yaml runs it: user 1001,
 * read-only root file system, writable only where the Deployment mounts emptyDirs. Static mode in the
 * container must serve the very bytes (and ETags) the static-mode server outside serves from the same
 * files; the controller entry point takes upstream's flags and reconciles a PreprovisioningImage of
 * the mock API; a missing DEPLOY_ISO stops it with a message naming it; SIGTERM stops it in time.
 */
class ContainerIT {

    static final Path IT_DIR = Path.of(System.getProperty("it.dir", "target/it")).toAbsolutePath();
    static final String TAG = "localhost/image-customization-controller:it";
    static final String OUTSIDE = "http://localhost:" + System.getProperty("microshed_http_port", "18084");
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final List<String> started = new ArrayList<>();
    /** The stand-in base's last build step (standin/Containerfile): the layers above it are ours. */
    static final String BASE_LAST_STEP = "CMD [\"/opt/ol/wlp/bin/server\"";
    /** The Deployment's grace period: the kubelet sends SIGKILL after it. */
    static int gracePeriod;
    static List<String> writable;

    @BeforeAll
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    static void buildImage() throws IOException {
        if (!Podman.available()) {
            String banner = "*".repeat(100);
            System.err.println(banner + "\n* ContainerIT SKIPPED: no podman on PATH, so the container image is NOT tested."
                    + "\n* Install it (apt-get install -y podman runc debootstrap; bash .ci/run does) to run it.\n" + banner);
            Assumptions.abort("podman is not installed: the container image is not tested");
        }
        Deployment deployment = Serialization.unmarshal(Files.readString(Path.of("k8s/deployment.yaml")), Deployment.class);
        gracePeriod = deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds().intValue();
        Container c = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertTrue(c.getSecurityContext().getReadOnlyRootFilesystem(), "the Deployment runs the image read-only");
        List<String> emptyDirs = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getEmptyDir() != null).map(Volume::getName).toList();
        writable = c.getVolumeMounts().stream().filter(m -> emptyDirs.contains(m.getName())).map(m -> m.getMountPath())
                .toList();

        String zip = System.getProperty("liberty.runtime.zip");
        assertTrue(zip != null && Files.isRegularFile(Path.of(zip)), "the openliberty-runtime zip (liberty.runtime.zip): " + zip);
        long t0 = System.nanoTime();
        Tools.Result r = Podman.exec(Duration.ofMinutes(15), List.of("sh", "src/test/container/build-images.sh", zip, TAG));
        System.out.println(r.stdout());
        assertEquals(0, r.exit(), "build-images.sh failed:\n" + r.stdout());
        String size = Podman.run(Duration.ofSeconds(30), "image", "inspect", "--format", "{{.Size}}", TAG).stdout().trim();
        String layers = Podman.run(Duration.ofSeconds(30), "history", "--no-trunc", "--format", "{{.Size}}\t{{.CreatedBy}}", TAG).stdout();
        System.out.printf("CONTAINER: images built in %.0f s; %s is %d MB (stand-in base included); its own layers:%n%s",
                (System.nanoTime() - t0) / 1e9, TAG, Long.parseLong(size) / 1_000_000,
                layers.lines().takeWhile(l -> !l.contains(BASE_LAST_STEP)).filter(l -> !l.startsWith("0 B"))
                        .map(l -> "CONTAINER:   " + l.substring(0, Math.min(l.length(), 90)) + "\n").reduce("", String::concat));
    }

    @AfterAll
    static void removeContainers() {
        for (String name : started) {
            Podman.run(Duration.ofSeconds(60), "rm", "-f", "-t", "0", name);
        }
    }

    /** podman run options for k8s/'s way: the image's own user, read-only root, the Deployment's writable paths. */
    static List<String> asDeployed() {
        List<String> o = new ArrayList<>(List.of("--read-only", "--cap-drop", "ALL", "--security-opt", "no-new-privileges"));
        writable.forEach(p -> o.addAll(List.of("--tmpfs", p)));
        return o;
    }

    static String runDetached(List<String> options, String entrypoint, String... args) {
        String name = "icc-it-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> cmd = new ArrayList<>(List.of("run", "-d", "--name", name));
        cmd.addAll(asDeployed());
        cmd.addAll(options);
        cmd.addAll(List.of("--entrypoint", entrypoint, TAG));
        cmd.addAll(List.of(args));
        Tools.Result r = Podman.run(Duration.ofMinutes(2), cmd.toArray(String[]::new));
        assertEquals(0, r.exit(), r.stdout());
        started.add(name);
        return name;
    }

    static List<String> baseFiles(String... env) {
        List<String> o = new ArrayList<>(List.of(
                "-v", IT_DIR.resolve("base.iso") + ":/shared/html/images/ironic-python-agent.iso:ro",
                "-v", IT_DIR.resolve("base.initramfs") + ":/shared/html/images/ironic-python-agent.initramfs:ro",
                "-e", "DEPLOY_ISO=/shared/html/images/ironic-python-agent.iso",
                "-e", "DEPLOY_INITRD=/shared/html/images/ironic-python-agent.initramfs",
                "-e", "IRONIC_AGENT_IMAGE=quay.io/metal3-io/ironic-agent:it",
                "-e", "IRONIC_BASE_URL=http://192.0.2.10"));
        for (String e : env) {
            o.addAll(List.of("-e", e));
        }
        return o;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static HttpResponse<byte[]> get(String url, String range) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        if (range != null) {
            b.header("Range", range);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static void awaitReady(String name, String base) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < end) {
            try {
                if (get(base + "/health/ready", null).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            String state = Podman.run(Duration.ofSeconds(30), "inspect", "--format", "{{.State.Status}}", name).stdout().trim();
            if (!state.equals("running")) {
                fail("container " + state + " before ready:\n" + Podman.run(Duration.ofSeconds(30), "logs", name).stdout());
            }
            Thread.sleep(250);
        }
        fail("not ready in 180 s:\n" + Podman.run(Duration.ofSeconds(30), "logs", name).stdout());
    }

    static long rssKiB(String name) {
        String status = Podman.run(Duration.ofSeconds(30), "exec", name, "cat", "/proc/1/status").stdout();
        return status.lines().filter(l -> l.startsWith("VmRSS:")).map(l -> Long.parseLong(l.replaceAll("\\D", "")))
                .findFirst().orElseThrow(() -> new AssertionError(status));
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void staticModeServesTheSameBytesAsOutsideAsNonRootReadOnlyDrainsAndStopsOnSigterm() throws Exception {
        int port = freePort();
        String base = "http://localhost:" + port;
        List<String> o = baseFiles("IRONIC_AGENT_PULL_SECRET=eyJhdXRocyI6e319");
        o.addAll(List.of("-v", IT_DIR.resolve("nmstate") + ":/etc/icc/nmstate:ro", "-p", "127.0.0.1:" + port + ":8084"));
        long t0 = System.nanoTime();
        String name = runDetached(o, "/machine-image-customization-server", "-nmstate-dir", "/etc/icc/nmstate",
                "-images-publish-addr", base);
        awaitReady(name, base);
        System.out.printf("CONTAINER: static mode ready %.1f s after podman run%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(0, Podman.run(Duration.ofSeconds(30), "exec", name, "test", "-d",
                "/opt/ol/wlp/output-seed/workarea/org.eclipse.osgi").exit(), "the image carries a warm workarea");
        Thread.sleep(5000);
        System.out.printf("CONTAINER: idle RSS %d MiB (static mode, 4 images)%n", rssKiB(name) / 1024);

        assertEquals("1001", Podman.run(Duration.ofSeconds(30), "image", "inspect", "--format", "{{.Config.User}}", TAG)
                .stdout().trim(), "the image's user (k8s/ sets runAsNonRoot, not a user)");
        assertEquals("1001", Podman.run(Duration.ofSeconds(30), "exec", name, "stat", "-c", "%u", "/proc/1").stdout().trim(),
                "the server process runs as 1001");
        Tools.Result write = Podman.run(Duration.ofSeconds(30), "exec", name, "touch", "/config/x");
        assertNotEquals(0, write.exit(), "root file system is read-only");
        assertTrue(write.stdout().contains("Read-only file system"), write.stdout());

        for (String image : List.of("/worker-0.iso", "/worker-0.initramfs", "/worker-1.iso", "/worker-1.initramfs")) {
            HttpResponse<byte[]> in = get(base + image, null);
            HttpResponse<byte[]> out = get(OUTSIDE + image, null);
            assertEquals(200, in.statusCode(), image);
            assertEquals(200, out.statusCode(), image);
            assertEquals(sha256(out.body()), sha256(in.body()), image + ": same bytes inside and outside the container");
            assertEquals(out.headers().firstValue("ETag"), in.headers().firstValue("ETag"), image);
            int from = out.body().length / 3;
            int to = out.body().length / 2;
            HttpResponse<byte[]> part = get(base + image, "bytes=" + from + "-" + to);
            assertEquals(206, part.statusCode(), image);
            assertArrayEquals(Arrays.copyOfRange(out.body(), from, to + 1), part.body(), image + " range");
        }
        assertEquals(404, get(base + "/worker-9.iso", null).statusCode());

        // The Deployment's preStop hook, run in the image as the kubelet runs it (short drain here).
        java.util.concurrent.CompletableFuture<Tools.Result> hook = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> Podman.run(Duration.ofSeconds(60), "exec", "-e", "ICC_DRAIN_SECONDS=3", name, "/usr/local/icc/icc-drain"));
        long d = System.nanoTime();
        while (get(base + "/health/ready", null).statusCode() != 503 && System.nanoTime() - d < 5_000_000_000L) {
            Thread.sleep(50);
        }
        assertTrue(new String(get(base + "/health/ready", null).body()).contains("draining before shutdown"));
        HttpResponse<byte[]> draining = get(base + "/worker-0.iso", "bytes=0-99");
        assertEquals(206, draining.statusCode(), "still serving while draining");
        assertEquals("close", draining.headers().firstValue("Connection").orElse(""));
        Tools.Result hooked = hook.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(0, hooked.exit(), hooked.stdout());
        assertEquals("", hooked.stdout().strip(), "the server took the hook's request");

        // podman stop: SIGTERM, then SIGKILL after the Deployment's grace period, as the kubelet does.
        long s = System.nanoTime();
        Tools.Result stop = Podman.run(Duration.ofSeconds(gracePeriod + 30), "stop", "-t", String.valueOf(gracePeriod), name);
        double seconds = (System.nanoTime() - s) / 1e9;
        assertEquals(0, stop.exit(), stop.stdout());
        String exit = Podman.run(Duration.ofSeconds(30), "inspect", "--format", "{{.State.ExitCode}}", name).stdout().trim();
        String logs = Podman.run(Duration.ofSeconds(30), "logs", name).stdout();
        System.out.printf("CONTAINER: SIGTERM -> exit %s in %.1f s%n", exit, seconds);
        assertTrue(seconds < gracePeriod, "stopped by SIGTERM within the grace period, not killed: " + seconds + " s");
        assertTrue(List.of("0", "143").contains(exit), "exit " + exit + " is a clean stop (143: the JVM's SIGTERM exit)");
        assertTrue(logs.contains("CWWKE0036I"), "Liberty stopped in order:\n" + logs);
    }

    @Test
    void controllerEntryPointTakesUpstreamsFlagsAndReconcilesFromTheContainer() throws Exception {
        int port = freePort();
        String base = "http://127.0.0.1:" + port;
        String namespace = "container-it";
        List<String> o = baseFiles("IMAGE_URL_KEY=container-it-key");
        // The mock API listens on the host's loopback: the container shares the host's network.
        o.addAll(List.of("--network", "host", "-v", IT_DIR.resolve("kubeconfig") + ":/etc/icc/kubeconfig:ro"));
        String name = runDetached(o, "/machine-image-customization-controller",
                "-images-bind-addr", "127.0.0.1:" + port, "-images-publish-addr", base + "/",
                "-kubeconfig", "/etc/icc/kubeconfig", "-namespace", namespace, "-metrics-addr", ":8085");
        awaitReady(name, base);
        for (String probe : List.of("/health/started", "/health/live", "/health/ready")) {
            assertEquals(200, get(base + probe, null).statusCode(), probe);
        }
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(IT_DIR.resolve("kubeconfig")))).build()) {
            client.resource(new SecretBuilder().withNewMetadata().withNamespace(namespace).withName("c-0-network").endMetadata()
                    .withStringData(Map.of("nmstate", Files.readString(IT_DIR.resolve("nmstate/worker-0.yaml")))).build())
                    .create();
            PreprovisioningImage ppi = new PreprovisioningImage();
            ppi.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName("c-0").build());
            PreprovisioningImageSpec spec = new PreprovisioningImageSpec();
            spec.setNetworkDataName("c-0-network");
            spec.setAcceptFormats(new ArrayList<>(List.of("iso")));
            ppi.setSpec(spec);
            client.resource(ppi).create();
            PreprovisioningImage ready = null;
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (ready == null && System.nanoTime() < end) {
                PreprovisioningImage p = client.resources(PreprovisioningImage.class).inNamespace(namespace).withName("c-0").get();
                if (p.getStatus() != null && Conditions.isTrue(p.getStatus().getConditions(), "Ready")) {
                    ready = p;
                }
                Thread.sleep(100);
            }
            if (ready == null) {
                fail("not Ready from the container:\n" + Podman.run(Duration.ofSeconds(30), "logs", name).stdout());
            }
            String url = ready.getStatus().getImageUrl();
            assertTrue(url.startsWith(base + "/"), url);
            HttpResponse<byte[]> iso = get(url, null);
            assertEquals(200, iso.statusCode());
            assertEquals(Files.size(IT_DIR.resolve("base.iso")), iso.body().length);
        }
        String logs = Podman.run(Duration.ofSeconds(30), "logs", name).stdout();
        assertTrue(logs.contains("controller mode"), logs);
        assertTrue(!logs.contains("eyJhdXRocyI6e319"), "no secret in the log");
    }

    /** HTTPS only, as k8s/tls runs it: the launcher's set-up in the image, the TLS feature the build installed. */
    @Test
    void httpsOnlyFromAMountedTlsSecretServesTheSameBytes() throws Exception {
        Path secret = IT_DIR.resolve("container-tls");
        Tools.sh(IT_DIR, "rm -rf container-tls");
        Path[] pair = io.metal3.icc.testing.Certs.selfSigned(secret, "tls", "images-in-container",
                io.metal3.icc.testing.Certs.Key.RSA_PKCS1);
        Tools.sh(secret, "chmod 0644 tls.crt tls.key");  // a Secret volume's default mode
        int port = freePort();
        String base = "https://127.0.0.1:" + port;
        List<String> o = baseFiles("IRONIC_AGENT_PULL_SECRET=eyJhdXRocyI6e319", "IMAGES_TLS_CERT_FILE=/run/secrets/image-tls/tls.crt",
                "IMAGES_TLS_KEY_FILE=/run/secrets/image-tls/tls.key", "IMAGES_HTTP_ENABLED=false");
        o.addAll(List.of("-v", IT_DIR.resolve("nmstate") + ":/etc/icc/nmstate:ro", "-v", secret.toAbsolutePath() + ":/run/secrets/image-tls:ro",
                "-p", "127.0.0.1:" + port + ":8443"));
        long t0 = System.nanoTime();
        String name = runDetached(o, "/machine-image-customization-server", "-nmstate-dir", "/etc/icc/nmstate",
                "-images-publish-addr", base, "-tls-min-version", "VersionTLS13");
        HttpClient tls = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(TlsIT.trustAll()).build();
        long end = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        int status = 0;
        while (status != 200 && System.nanoTime() < end) {
            try {
                status = tls.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                Thread.sleep(250);
            }
        }
        String logs = Podman.run(Duration.ofSeconds(30), "logs", name).stdout();
        assertEquals(200, status, logs);
        System.out.printf("CONTAINER: HTTPS-only static mode ready %.1f s after podman run%n", (System.nanoTime() - t0) / 1e9);
        Thread.sleep(5000);
        System.out.printf("CONTAINER: idle RSS with TLS %d MiB%n", rssKiB(name) / 1024);
        assertTrue(logs.contains("TLS: serving CN=images-in-container") && logs.contains("Custom profile: [TLSv1.3]"), logs);
        for (String image : List.of("/worker-0.iso", "/worker-0.initramfs")) {
            HttpResponse<byte[]> in = tls.send(HttpRequest.newBuilder(URI.create(base + image)).build(), HttpResponse.BodyHandlers.ofByteArray());
            HttpResponse<byte[]> out = get(OUTSIDE + image, null);
            assertEquals(200, in.statusCode(), image);
            assertEquals(sha256(out.body()), sha256(in.body()), image + ": same bytes over HTTPS in the container");
            assertEquals(out.headers().firstValue("ETag"), in.headers().firstValue("ETag"), image);
        }
        String key = Podman.run(Duration.ofSeconds(30), "exec", name, "stat", "-c", "%a %u", "/opt/ol/wlp/output/tls/keystore.p12")
                .stdout().trim();
        assertEquals("600 1001", key, "the key store is the server user's alone");
        assertTrue(logs.lines().noneMatch(l -> l.contains("CWWKO0219I") && l.contains("defaultHttpEndpoint ")),
                "no plain-HTTP listener:\n" + logs);
    }

    @Test
    void aMissingDeployIsoStopsTheContainerWithAMessageNamingIt() throws Exception {
        List<String> cmd = new ArrayList<>(List.of("run", "--rm"));
        cmd.addAll(asDeployed());
        cmd.addAll(List.of("-e", "IRONIC_AGENT_IMAGE=quay.io/metal3-io/ironic-agent:it", "--network", "none",
                "--entrypoint", "/machine-image-customization-controller", TAG, "-namespace", "metal3"));
        Tools.Result r = Podman.run(Duration.ofMinutes(3), cmd.toArray(String[]::new));
        assertNotEquals(0, r.exit(), "exits non-zero:\n" + r.stdout());
        assertTrue(r.stdout().contains("DEPLOY_ISO"), "the message names DEPLOY_ISO:\n" + r.stdout());
        System.out.println("CONTAINER: missing DEPLOY_ISO -> exit " + r.exit() + ": "
                + r.stdout().lines().filter(l -> l.contains("DEPLOY_ISO")).findFirst().orElse(""));
    }
}
