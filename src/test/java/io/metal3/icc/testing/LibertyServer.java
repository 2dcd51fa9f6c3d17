package io.metal3.icc.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One more Liberty server of the integration tests, made by a test from the configuration and WAR
 * liberty-maven-plugin deployed to a template server, with its own port and environment.
 */
public final class LibertyServer implements AutoCloseable {

    private final Path servers;
    private final String name;
    private final int port;

    private LibertyServer(Path servers, String name, int port) {
        this.servers = servers;
        this.name = name;
        this.port = port;
    }

    /** Creates {@code name} from {@code template}'s server.xml, jvm.options and WAR, and starts it. */
    public static LibertyServer start(Path servers, String template, String name, Map<String, String> env)
            throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        return start(servers, template, name, env, port);
    }

    public static LibertyServer start(Path servers, String template, String name, Map<String, String> env, int port)
            throws IOException, InterruptedException {
        Path from = servers.resolve(template);
        Path dir = servers.resolve(name);
        Tools.sh(servers, "rm -rf '" + name + "'");
        Files.createDirectories(dir.resolve("apps"));
        for (String f : new String[] {"server.xml", "jvm.options", "tls.xml"}) {
            Path source = Files.exists(from.resolve(f)) ? from.resolve(f) : Path.of("src/main/liberty/config").resolve(f);
            Files.copy(source, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        try (var wars = Files.list(from.resolve("apps"))) {
            for (Path war : wars.toList()) {
                Files.copy(war, dir.resolve("apps").resolve(war.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.writeString(dir.resolve("bootstrap.properties"), "images.http.port=" + port + "\n");
        Files.writeString(dir.resolve("server.env"), "MALLOC_ARENA_MAX=2\n" + env.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n")) + "\n");
        LibertyServer server = new LibertyServer(servers, name, port);
        Process p = new ProcessBuilder(server.script().toString(), "start", name).redirectErrorStream(true)
                .redirectOutput(dir.resolve("start.out").toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("server start " + name + " failed: " + Files.readString(dir.resolve("start.out")));
        }
        return server;
    }

    private Path script() {
        return servers.resolve("../../bin/server").normalize();
    }

    public int port() {
        return port;
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    public Path log() {
        return servers.resolve(name).resolve("logs/messages.log");
    }

    /** Waits for /health/ready to answer 200. */
    public void awaitReady(Duration timeout) throws IOException, InterruptedException {
        awaitReady(timeout, base(), HttpClient.newHttpClient());
    }

    /** Waits for /health/ready at {@code base} (an HTTPS listener, say) to answer 200. */
    public void awaitReady(Duration timeout, String base, HttpClient http) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > end) {
                throw new IOException(name + " not ready within " + timeout.toSeconds() + " s; log: " + log());
            }
            Thread.sleep(200);
        }
    }

    @Override
    public void close() {
        try {
            new ProcessBuilder(script().toString(), "stop", name).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(120, TimeUnit.SECONDS);
        } catch (IOException e) {
            // stopped with the JVM of the build at the latest
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
