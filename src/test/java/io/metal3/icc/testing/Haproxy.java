package io.metal3.icc.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * Debian's haproxy as an L4 round-robin balancer in front of replicas, the way a Service reaches pods
 * through kube-proxy: {@code mode tcp}, no retries, no redispatch, a health check of
 * {@code GET /health/ready} every second (haproxy's default 3 failures to go DOWN, 2 successes to go
 * UP). Its messages (server UP/DOWN with the reason) are kept with the time they were read.
 */
public final class Haproxy implements AutoCloseable {

    /** A line haproxy printed, stamped with System.nanoTime() when it was read. */
    public record Line(long nanos, String text) {
    }

    private final Process process;
    private final int port;
    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private Haproxy(Process process, int port) {
        this.process = process;
        this.port = port;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    lines.add(new Line(System.nanoTime(), l));
                }
            } catch (IOException e) {
                // haproxy ended
            }
        }, "haproxy-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** @param servers name → port on localhost */
    public static Haproxy start(Path dir, Map<String, Integer> servers) throws IOException {
        if (!available()) {
            fail("haproxy is required by this test: apt-get install -y haproxy (bash .ci/run installs it)");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String config = """
                global
                    maxconn 256
                defaults
                    mode tcp
                    retries 0
                    timeout connect 2s
                    timeout client 60s
                    timeout server 60s
                frontend images
                    bind 127.0.0.1:%d
                    default_backend replicas
                backend replicas
                    balance roundrobin
                    option httpchk GET /health/ready
                    default-server inter 1s
                %s
                """.formatted(port, servers.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> "    server " + e.getKey() + " 127.0.0.1:" + e.getValue() + " check")
                .collect(Collectors.joining("\n")));
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, config);
        Process p = new ProcessBuilder("haproxy", "-db", "-f", cfg.toString()).redirectErrorStream(true).start();
        return new Haproxy(p, port);
    }

    public static boolean available() {
        try {
            return new ProcessBuilder("haproxy", "-v").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public int port() {
        return port;
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    /** The first "Server replicas/NAME is UP|DOWN" message read at or after {@code sinceNanos}, or null. */
    public Line stateChange(String server, String state, long sinceNanos) {
        String needle = "Server replicas/" + server + " is " + state;
        return lines.stream().filter(l -> l.nanos() - sinceNanos >= 0 && l.text().contains(needle)).findFirst().orElse(null);
    }

    @Override
    public void close() {
        process.destroy();
    }
}
