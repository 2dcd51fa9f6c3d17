package io.metal3.icc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;

import org.junit.jupiter.api.Test;

import io.metal3.icc.testing.Haproxy;
import io.metal3.icc.testing.RangeReader;

/**
 * A rolling update of the two replicas (icc-ha-a, icc-ha-b, leader election on) behind an L4
 * round-robin balancer (haproxy, as kube-proxy: mode tcp, health checks on /health/ready, no
 * retries) while BMC-like readers read an ISO in 1 MiB ranges and compare every byte. Each replica in
 * turn goes through what k8s/deployment.yaml makes Kubernetes do: its preStop hook (read from the
 * manifest, run with the container's environment), SIGTERM, exit, start, ready. No read may fail
 * after one retry; raw failures are counted and must be none either.
 * {@code -Dit.rolling.drain.seconds=0} runs the same sequence without the drain (the control run).
 */
class ControllerRollingUpdateIT {

    static final Path IT_DIR = ControllerHaIT.IT_DIR;
    static final String NS = ControllerHaIT.NS;
    static final Path MANIFEST = Path.of("k8s/deployment.yaml");
    static final Path LAUNCHER = Path.of("src/main/launcher");
    /** Where the Containerfile puts src/main/launcher/ in the image. */
    static final String LAUNCHER_IN_IMAGE = "/usr/local/icc/";
    static final Map<String, Integer> PORTS = Map.of(
            "icc-ha-a", Integer.getInteger("it.ha.a.port", 18089),
            "icc-ha-b", Integer.getInteger("it.ha.b.port", 18090));
    static final int READERS = 8;
    static final int RANGE = 1 << 20;
    static final long RATE = 4L << 20;

    record Step(String replica, boolean wasLeader, double preStopSeconds, double downAfter, String downReason,
                double exitAfter, double readyAfter, double upAfter, double handOverAfter) {
    }

    @Test
    void aRollingUpdateLosesNoRead() throws Exception {
        Deployment deployment;
        try (InputStream in = Files.newInputStream(MANIFEST)) {
            deployment = Serialization.unmarshal(in);
        }
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertNotNull(container.getLifecycle(), "k8s/deployment.yaml has a lifecycle");
        List<String> preStop = container.getLifecycle().getPreStop().getExec().getCommand();
        long gracePeriod = deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();

        KubernetesClient client = HaApi.client();
        for (var r : PORTS.entrySet()) {
            await(() -> ControllerHaIT.status("http://localhost:" + r.getValue() + "/health/ready") == 200,
                    Duration.ofSeconds(90), r.getKey() + " ready");
        }
        ControllerHaIT.create("roll-iso", 0); // even: an ISO
        await(() -> ControllerHaIT.ready(ControllerHaIT.ppi("roll-iso")), Duration.ofSeconds(30), "roll-iso Ready");
        String url = ControllerHaIT.ppi("roll-iso").getStatus().getImageUrl();
        String path = url.substring(ControllerHaIT.PUBLISHED.length());
        for (var r : PORTS.entrySet()) {
            // The leader wrote the status; a follower serves the URL once its watch has seen it.
            await(() -> ControllerHaIT.status("http://localhost:" + r.getValue() + path) == 200, Duration.ofSeconds(15),
                    r.getKey() + " serves roll-iso");
        }
        var whole = ControllerHaIT.send("GET", "http://localhost:" + PORTS.get("icc-ha-a") + path);
        assertEquals(200, whole.statusCode());
        byte[] expected = whole.body();
        assertTrue(expected.length > 4 * RANGE, "an image of several ranges: " + expected.length);

        List<Step> steps = new ArrayList<>();
        List<RangeReader> readers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try (Haproxy balancer = Haproxy.start(IT_DIR, PORTS)) {
            long t = System.nanoTime();
            for (String replica : PORTS.keySet()) {
                await(() -> balancer.stateChange(replica, "DOWN", t) == null
                        && balancer.lines().stream().noneMatch(l -> l.text().contains("no server available")),
                        Duration.ofSeconds(5), "haproxy sees " + replica);
            }
            Thread.sleep(3000); // past haproxy's first checks
            for (int i = 0; i < READERS; i++) {
                RangeReader reader = new RangeReader("127.0.0.1", balancer.port(), path, expected, RANGE, RATE,
                        (long) i * expected.length / READERS);
                readers.add(reader);
                Thread th = new Thread(reader, "bmc-reader-" + i);
                th.start();
                threads.add(th);
            }
            Thread.sleep(3000);
            for (String replica : List.of("icc-ha-a", "icc-ha-b")) {
                steps.add(roll(replica, preStop, container, balancer, client));
                Thread.sleep(2000); // both serve again for a while, as between two pods of a rollout
            }
            readers.forEach(RangeReader::stop);
            for (Thread th : threads) {
                th.join(30_000);
            }
            Files.write(IT_DIR.resolve("rolling-haproxy.log"), balancer.lines().stream().map(Haproxy.Line::text).toList());
        } finally {
            readers.forEach(RangeReader::stop);
        }

        long reads = sum(readers, r -> r.reads.get());
        long raw = sum(readers, r -> r.rawFailures.get());
        long afterRetry = sum(readers, r -> r.failedAfterRetry.get());
        long wrong = sum(readers, r -> r.wrongBytes.get());
        long closed = sum(readers, r -> r.closedByServer.get());
        long connections = sum(readers, r -> r.connections.get());
        List<String> failures = readers.stream().flatMap(r -> r.failures.stream()).toList();
        StringBuilder report = new StringBuilder(String.format(
                "rolling update (drain %s s, terminationGracePeriodSeconds %d): %d readers, %d ranges of 1 MiB (%.0f MiB),"
                        + " %d connections, %d ended by Connection: close; raw failures %d, failed after one retry %d,"
                        + " wrong bytes %d%n", drainSeconds(container), gracePeriod, READERS, reads,
                sum(readers, r -> r.bytesRead.get()) / 1048576.0, connections, closed, raw, afterRetry, wrong));
        for (Step s : steps) {
            report.append(String.format("  %s%s: preStop %.1f s; balancer saw it DOWN at %.1f s (%s); exited %.1f s after"
                            + " drain start; ready %.1f s, UP in the balancer %.1f s after start%s%n",
                    s.replica(), s.wasLeader() ? " (leader)" : "", s.preStopSeconds(), s.downAfter(), s.downReason(),
                    s.exitAfter(), s.readyAfter(), s.upAfter(),
                    s.wasLeader() ? String.format("; the other replica led %.1f s after drain start", s.handOverAfter()) : ""));
        }
        failures.forEach(f -> report.append("  failure: ").append(f).append('\n'));
        System.out.print(report);
        Files.writeString(IT_DIR.resolve("rolling-update.txt"), report);

        assertEquals(0, wrong, "wrong bytes\n" + report);
        assertEquals(0, afterRetry, "reads that failed after one retry\n" + report);
        assertEquals(0, raw, "reads that failed at all\n" + report);
        assertTrue(reads > READERS * 10, "the readers read: " + reads);
        for (Step s : steps) {
            assertTrue(s.downReason().contains("code: 503"), "the balancer saw readiness DOWN (503) before the port closed\n"
                    + report);
            assertTrue(s.downAfter() < s.preStopSeconds(), "DOWN seen during the preStop hook\n" + report);
            assertTrue(s.exitAfter() < gracePeriod, "exit within terminationGracePeriodSeconds\n" + report);
        }
    }

    /** One replica through the manifest's sequence; times in seconds from the start of the hook. */
    private static Step roll(String replica, List<String> preStop, Container container, Haproxy balancer,
                             KubernetesClient client) throws Exception {
        String other = replica.equals("icc-ha-a") ? "icc-ha-b" : "icc-ha-a";
        boolean leader = replica.equals(leaseHolder(client));
        ProcessHandle server = ProcessHandle.of(Long.parseLong(
                Files.readString(ItFixtures.SERVERS.resolve(".pid/" + replica + ".pid")).strip())).orElseThrow();

        long t0 = System.nanoTime();
        double[] handOver = {-1};
        Thread watcher = null;
        if (leader) {
            watcher = new Thread(() -> {
                while (handOver[0] < 0 && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(60)) {
                    if (other.equals(leaseHolder(client))) {
                        handOver[0] = seconds(t0);
                        return;
                    }
                    sleep(50);
                }
            }, "lease-watch");
            watcher.start();
        }
        ProcessBuilder pb = new ProcessBuilder(hookCommand(preStop)).redirectErrorStream(true)
                .redirectOutput(IT_DIR.resolve(replica + "-prestop.out").toFile());
        pb.environment().putAll(containerEnvironment(container, replica));
        Process run = pb.start();
        assertTrue(run.waitFor(120, TimeUnit.SECONDS), "preStop of " + replica + " ends");
        double preStopSeconds = seconds(t0);
        assertTrue(server.destroy(), "SIGTERM to " + replica);
        server.onExit().get(120, TimeUnit.SECONDS);
        double exit = seconds(t0);

        Haproxy.Line down = balancer.stateChange(replica, "DOWN", t0);
        double downAfter = down == null ? Double.NaN : (down.nanos() - t0) / 1e9;
        String reason = down == null ? "never DOWN" : down.text().replaceAll(".*reason: ", "").replaceAll(", check duration.*", "");

        Process start = new ProcessBuilder(ItFixtures.SERVERS.resolve("../../bin/server").normalize().toString(),
                "start", replica).redirectErrorStream(true)
                .redirectOutput(IT_DIR.resolve(replica + "-rolling-start.out").toFile()).start();
        long s0 = System.nanoTime();
        assertEquals(0, start.waitFor(), "server start " + replica);
        await(() -> ControllerHaIT.status("http://localhost:" + PORTS.get(replica) + "/health/ready") == 200,
                Duration.ofSeconds(90), replica + " ready again");
        double ready = seconds(s0);
        await(() -> balancer.stateChange(replica, "UP", s0) != null, Duration.ofSeconds(30), "balancer sees " + replica + " UP");
        double up = (balancer.stateChange(replica, "UP", s0).nanos() - s0) / 1e9;
        if (watcher != null) {
            watcher.join();
        }
        return new Step(replica, leader, preStopSeconds, downAfter, reason, exit, ready, up, handOver[0]);
    }

    /** The manifest's command, with the image's launcher directory mapped to the source tree. */
    static List<String> hookCommand(List<String> command) {
        List<String> out = new ArrayList<>(command);
        String first = out.get(0);
        if (!first.startsWith(LAUNCHER_IN_IMAGE)) {
            fail("the preStop command is not one of the launcher's: " + command);
        }
        out.set(0, LAUNCHER.toAbsolutePath().resolve(first.substring(LAUNCHER_IN_IMAGE.length())).toString());
        return out;
    }

    /**
     * What the kubelet gives an exec hook: the container's environment. Here the container is the
     * Liberty server, so its server.env comes on top of the manifest's literal values.
     */
    static Map<String, String> containerEnvironment(Container container, String replica) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar v : container.getEnv()) {
            if (v.getValue() != null && v.getName().startsWith("ICC_")) {
                env.put(v.getName(), v.getValue());
            }
        }
        for (String line : Files.readAllLines(IT_DIR.resolve("env/" + replica.substring(4) + ".env"))) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        String override = System.getProperty("it.rolling.drain.seconds", "");
        if (!override.isEmpty()) {
            env.put("ICC_DRAIN_SECONDS", override);
        }
        return env;
    }

    static String drainSeconds(Container container) {
        String override = System.getProperty("it.rolling.drain.seconds", "");
        return !override.isEmpty() ? override : container.getEnv().stream().filter(v -> v.getName().equals("ICC_DRAIN_SECONDS"))
                .map(EnvVar::getValue).findFirst().orElse("default");
    }

    static String leaseHolder(KubernetesClient client) {
        try {
            Lease l = client.resources(Lease.class).inNamespace(NS).withName(ControllerHaIT.LEASE).get();
            return l == null || l.getSpec() == null || l.getSpec().getHolderIdentity() == null ? "" : l.getSpec().getHolderIdentity();
        } catch (RuntimeException e) {
            return "";
        }
    }

    static long sum(List<RangeReader> readers, java.util.function.ToLongFunction<RangeReader> f) {
        return readers.stream().mapToLong(f).sum();
    }

    static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        ControllerHaIT.await(condition, timeout, what);
    }
}
