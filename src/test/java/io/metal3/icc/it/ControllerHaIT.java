package io.metal3.icc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.metal3.icc.controller.Conditions;
import io.metal3.icc.controller.runtime.LeaseLeadership;
import io.metal3.icc.crd.PreprovisioningImage;
import io.metal3.icc.testing.Hosts;
import io.metal3.icc.testing.StrictCrudDispatcher;

/**
 * Two real Liberty servers in controller mode with leader election (icc-ha-a, icc-ha-b) and one API
 * server, which this test starts 30 s after the servers: start without an API, one leader, every
 * replica serves every image with the same bytes and ETag, writes no more than one replica makes,
 * nothing stale served, fail-over on SIGTERM, and readiness that never runs ahead of the URLs.
 * ControllerRollingUpdateIT then takes the same pair through rolling updates.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControllerHaIT {

    static final Path IT_DIR = Path.of(System.getProperty("it.dir", "target/it"));
    static final String NS = "metal3";
    static final String LEASE = "image-customization-controller";
    static final int IMAGES = 20;
    static final Map<String, String> REPLICAS = Map.of(
            "icc-ha-a", "http://localhost:" + System.getProperty("it.ha.a.port", "18089"),
            "icc-ha-b", "http://localhost:" + System.getProperty("it.ha.b.port", "18090"));
    static final String PUBLISHED = REPLICAS.get("icc-ha-a");
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static final StrictCrudDispatcher API = HaApi.DISPATCHER;
    static KubernetesClient client;

    static HttpResponse<byte[]> send(String method, String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static int status(String url) {
        try {
            return send("HEAD", url).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static String body(String url) throws Exception {
        return new String(send("GET", url).body(), StandardCharsets.UTF_8);
    }

    static String bodyOrEmpty(String url) {
        try {
            return body(url);
        } catch (Exception e) {
            return "";
        }
    }

    static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("not within " + timeout.toSeconds() + " s: " + what);
            }
            Thread.sleep(50);
        }
    }

    static String onReplica(String url, String replica) {
        assertTrue(url.startsWith(PUBLISHED + "/"), url);
        return REPLICAS.get(replica) + url.substring(PUBLISHED.length());
    }

    static PreprovisioningImage ppi(String name) {
        return client.resources(PreprovisioningImage.class).inNamespace(NS).withName(name).get();
    }

    static boolean ready(PreprovisioningImage p) {
        return p != null && p.getStatus() != null && Conditions.isTrue(p.getStatus().getConditions(), "Ready");
    }

    static void create(String name, int i) {
        String nmstate = "interfaces:\n- name: eno1\n  type: ethernet\n  state: up\n  ipv4:\n    enabled: true\n"
                + "    address:\n    - ip: 198.51.100." + (10 + i) + "\n      prefix-length: 24\n";
        Hosts.create(client, NS, name, i % 2 == 0 ? "iso" : "initrd", nmstate);
    }

    static String leaseHolder() {
        Lease l = client.resources(Lease.class).inNamespace(NS).withName(LEASE).get();
        return l == null || l.getSpec() == null || l.getSpec().getHolderIdentity() == null ? "" : l.getSpec().getHolderIdentity();
    }

    static Path log(String server) {
        return ItFixtures.SERVERS.resolve(server + "/logs/messages.log");
    }

    @Test
    @Order(1)
    void apiAbsentAtStartThenEveryImageReadyWithinSeconds() throws Exception {
        for (var r : REPLICAS.entrySet()) {
            await(() -> status(r.getValue() + "/health/ready") > 0, Duration.ofSeconds(60), r.getKey() + " answers");
        }
        long startedAt = Long.parseLong(Files.readString(ItFixtures.haStartedAt(IT_DIR)).strip());
        // Readiness stays down, with the reason, for the whole time the API is away; liveness stays up.
        do {
            for (var r : REPLICAS.entrySet()) {
                HttpResponse<byte[]> ready = send("GET", r.getValue() + "/health/ready");
                String b = new String(ready.body(), StandardCharsets.UTF_8);
                assertEquals(503, ready.statusCode(), r.getKey() + ": " + b);
                assertTrue(b.contains("Kubernetes API") || b.contains("first list"), b);
                assertEquals(200, send("GET", r.getValue() + "/health/live").statusCode(), r.getKey() + " is live");
            }
            Thread.sleep(1000);
        } while (System.currentTimeMillis() < startedAt + 30_000);
        for (String server : REPLICAS.keySet()) {
            String log = Files.readString(log(server));
            assertTrue(log.contains("Kubernetes API: cannot list PreprovisioningImages"), server + " says why it waits");
            assertFalse(log.contains(Files.readString(IT_DIR.resolve("kubeconfig-ha")).lines()
                    .filter(l -> l.contains("token")).findFirst().orElseThrow().strip().substring(7)), "no token in logs");
        }
        assertTrue(body(REPLICAS.get("icc-ha-a") + "/health/ready").contains("Kubernetes API"),
                "the reason names the API once a list has failed");

        long t0 = System.nanoTime();
        client = HaApi.client();
        for (int i = 0; i < IMAGES; i++) {
            create("ha-" + i, i);
        }
        for (int i = 0; i < IMAGES; i++) {
            String name = "ha-" + i;
            await(() -> ready(ppi(name)), Duration.ofSeconds(30), name + " Ready");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("HA: API available -> all %d PreprovisioningImages Ready in %.1f s%n", IMAGES, seconds);
        assertTrue(seconds <= 15, "all Ready " + seconds + " s after the API appeared");
        for (var r : REPLICAS.entrySet()) {
            await(() -> status(r.getValue() + "/health/ready") == 200, Duration.ofSeconds(15), r.getKey() + " ready");
        }
    }

    @Test
    @Order(2)
    void oneLeaderAndEveryReplicaServesEveryImageIdentically() throws Exception {
        String holder = leaseHolder();
        assertTrue(REPLICAS.containsKey(holder), "the Lease names a replica: " + holder);
        int leaders = 0;
        for (var r : REPLICAS.entrySet()) {
            String b = body(r.getValue() + "/health/ready");
            assertFalse(b.contains(IT_DIR.toAbsolutePath().toString()), "no paths in /health: " + b);
            if (b.contains("\"leader\"")) {
                leaders++;
                assertEquals(holder, r.getKey());
            } else {
                assertTrue(b.contains("\"follower\""), b);
            }
        }
        assertEquals(1, leaders, "exactly one leader");
        for (int i = 0; i < IMAGES; i++) {
            String url = ppi("ha-" + i).getStatus().getImageUrl();
            String etag = null;
            String digest = null;
            for (String replica : REPLICAS.keySet()) {
                // Readiness covers the statuses of the first list; a status written later reaches a
                // follower through its watch a moment after the leader wrote it.
                await(() -> status(onReplica(url, replica)) == 200, Duration.ofSeconds(10), replica + " serves " + url);
                HttpResponse<byte[]> head = send("HEAD", onReplica(url, replica));
                assertEquals(200, head.statusCode(), replica + " serves " + url);
                HttpResponse<byte[]> get = send("GET", onReplica(url, replica));
                String d = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(get.body()));
                String e = head.headers().firstValue("ETag").orElseThrow();
                assertEquals(e, get.headers().firstValue("ETag").orElseThrow());
                if (etag == null) {
                    etag = e;
                    digest = d;
                } else {
                    assertEquals(etag, e, "same strong ETag on both replicas for " + url);
                    assertEquals(digest, d, "same bytes on both replicas for " + url);
                }
            }
        }
    }

    @Test
    @Order(3)
    void twoReplicasWriteWhatOneWouldAndNothingConflicts() {
        for (int i = 0; i < IMAGES; i++) {
            String object = "/apis/metal3.io/v1alpha1/namespaces/metal3/preprovisioningimages/ha-" + i;
            assertEquals(2, API.statusWrites.get(object).get(), "status writes of ha-" + i
                    + " (one replica: \"Config changed\", \"Generated image\")");
            assertEquals(1, API.eventsByObject.get(NS + "/ha-" + i + " ImageReady").get(), "one Event for ha-" + i);
        }
        assertEquals(0, API.conflicts.get(), "no 409 in the steady state");
        System.out.printf("HA: %d status writes for %d images with two replicas, %d conflicts, %d Events%n",
                API.imageStatusWrites(), IMAGES, API.conflicts.get(), API.events.get());
    }

    @Test
    @Order(4)
    void deletedSecretDeletedImageAndHandoverAreServedNowhere() throws Exception {
        String secretGone = ppi("ha-0").getStatus().getImageUrl();
        String imageGone = ppi("ha-1").getStatus().getImageUrl();
        String handedOver = ppi("ha-2").getStatus().getImageUrl();
        client.secrets().inNamespace(NS).withName("ha-0-net").delete();
        client.resources(PreprovisioningImage.class).inNamespace(NS).withName("ha-1").delete();
        PreprovisioningImage p = ppi("ha-2");
        p.getMetadata().setLabels(Map.of(PreprovisioningImage.INFRAENV_LABEL, "infraenv-1"));
        client.resource(p).update();
        for (String url : List.of(secretGone, imageGone, handedOver)) {
            for (String replica : REPLICAS.keySet()) {
                await(() -> status(onReplica(url, replica)) == 404, Duration.ofSeconds(15), url + " 404 on " + replica);
            }
        }
        await(() -> ppi("ha-1") == null, Duration.ofSeconds(15), "ha-1 deleted");
        await(() -> ppi("ha-2").getMetadata().getFinalizers().isEmpty(), Duration.ofSeconds(15), "ha-2 released");
        PreprovisioningImage released = ppi("ha-2");
        assertFalse(ready(released), "a handed-over image is not left Ready with a dead URL");
        String url = released.getStatus().getImageUrl();
        assertTrue(url == null || url.isEmpty(), url);
    }

    @Test
    @Order(5)
    void leaderStopsAndTheOtherLeadsWithinTheLeaseDuration() throws Exception {
        String leader = leaseHolder();
        String other = leader.equals("icc-ha-a") ? "icc-ha-b" : "icc-ha-a";
        ProcessHandle process = ProcessHandle.of(Long.parseLong(
                Files.readString(ItFixtures.SERVERS.resolve(".pid/" + leader + ".pid")).strip())).orElseThrow();
        long t0 = System.nanoTime();
        assertTrue(process.destroy(), "SIGTERM to " + leader); // what the kubelet sends
        await(() -> other.equals(leaseHolder()), LeaseLeadership.LEASE_DURATION, other + " leads");
        double failover = (System.nanoTime() - t0) / 1e9;
        System.out.printf("HA: SIGTERM to the leader -> %s leads after %.1f s%n", other, failover);
        await(() -> bodyOrEmpty(REPLICAS.get(other) + "/health/ready").contains("\"leader\""), Duration.ofSeconds(10),
                other + " reports itself leader");

        create("ha-new", 0);
        await(() -> ready(ppi("ha-new")), Duration.ofSeconds(30), "ha-new Ready under the new leader");
        String url = ppi("ha-new").getStatus().getImageUrl();
        assertEquals(200, status(onReplica(url, other)));
        // An expired Lease takes at least lease duration - retry period (13 s) after the last renewal:
        // well under that, the stopped leader released it on SIGTERM.
        assertTrue(failover < 10, "Lease released on SIGTERM, not left to expire: " + failover + " s");
        process.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Runs last: restarts the replica the previous test stopped. */
    @Test
    @Order(6)
    void restartedReplicaIsNeverReadyWhileAStatusUrlIs404There() throws Exception {
        String stopped = REPLICAS.keySet().stream().filter(s -> status(REPLICAS.get(s) + "/health/live") < 0)
                .findFirst().orElseThrow(() -> new AssertionError("the previous test stopped a replica"));
        List<String> urls = new ArrayList<>();
        for (PreprovisioningImage p : client.resources(PreprovisioningImage.class).inNamespace(NS).list().getItems()) {
            if (ready(p)) {
                urls.add(onReplica(p.getStatus().getImageUrl(), stopped));
            }
        }
        assertTrue(urls.size() >= IMAGES - 3, "images to check: " + urls.size());
        List<String> violations = new CopyOnWriteArrayList<>();
        AtomicBoolean sawReady = new AtomicBoolean();
        AtomicBoolean polling = new AtomicBoolean(true);
        Thread poller = new Thread(() -> {
            while (polling.get()) {
                if (status(REPLICAS.get(stopped) + "/health/ready") == 200) {
                    sawReady.set(true);
                    for (String u : urls) {
                        int s = status(u);
                        if (s != 200) {
                            violations.add(u + " answered " + s + " while ready");
                        }
                    }
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        poller.start();
        Process start = new ProcessBuilder(ItFixtures.SERVERS.resolve("../../bin/server").normalize().toString(),
                "start", stopped).redirectErrorStream(true).redirectOutput(IT_DIR.resolve(stopped + "-restart.out").toFile())
                .start();
        assertEquals(0, start.waitFor(), "server start " + stopped);
        await(sawReady::get, Duration.ofSeconds(60), stopped + " ready again");
        Thread.sleep(500);
        polling.set(false);
        poller.join();
        assertEquals(List.of(), violations);
        assertNotEquals("", leaseHolder());
    }
}
