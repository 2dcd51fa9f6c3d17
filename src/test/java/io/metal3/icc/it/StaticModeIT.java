package io.metal3.icc.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.microshed.testing.ManuallyStartedConfiguration;
import org.microshed.testing.ApplicationEnvironment;
import org.microshed.testing.jupiter.MicroShedTest;

import io.metal3.icc.image.EmbedArea;
import io.metal3.icc.image.IsoInspector;
import io.metal3.icc.testing.Tools;

/**
 * Static mode on a real Liberty server started by liberty-maven-plugin (pre-integration-test), with
 * base images and NMState files generated into target/it. MicroShed Testing resolves that running
 * server (its manually-started environment); requests go through java.net.http so that headers and
 * bytes are checked exactly.
 */
@MicroShedTest
class StaticModeIT {

    static final Path IT_DIR = Path.of(System.getProperty("it.dir", "target/it"));
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static String base;
    static byte[] fullIso;

    @BeforeAll
    static void download() throws Exception {
        assertTrue(ApplicationEnvironment.Resolver.load() instanceof ManuallyStartedConfiguration,
                "MicroShed must target the server liberty-maven-plugin started");
        base = ApplicationEnvironment.Resolver.load().getApplicationURL().replaceAll("/+$", "");
        HttpResponse<byte[]> r = get("/worker-0.iso", null);
        assertEquals(200, r.statusCode());
        fullIso = r.body();
    }

    @Test
    void isoCarriesTheIgnitionAndEqualsTheBaseOutsideTheEmbedArea(@TempDir Path dir) throws Exception {
        Path baseIso = IT_DIR.resolve("base.iso");
        assertEquals(Files.size(baseIso), fullIso.length);
        Files.write(dir.resolve("out.iso"), fullIso);
        String ignition = Tools.ignitionFromIso(dir, "out.iso", "/IMAGES/IGNITION.IMG");
        assertTrue(ignition.contains("\"version\":\"3.2.0\""), ignition);
        assertTrue(ignition.contains("IPA_DEFAULT_HOSTNAME=worker-0"), ignition);
        var files = jakarta.json.Json.createReader(new java.io.StringReader(ignition)).readObject()
                .getJsonObject("storage").getJsonArray("files").getValuesAs(jakarta.json.JsonObject.class)
                .stream().map(f -> f.getString("path")).toList();
        assertEquals(java.util.List.of("/etc/ironic-python-agent.conf",
                "/etc/NetworkManager/system-connections/eth0.nmconnection", "/etc/authfile.json",
                "/etc/NetworkManager/conf.d/clientid.conf", "/etc/NetworkManager/dispatcher.d/01-hostname",
                "/etc/issue.d/ipa.issue", "/etc/motd.d/ipa.motd"), files, "the full Ignition of the builder");
        assertTrue(ignition.contains("--env IPA_COREOS_COPY_NETWORK=true"), "the host's network config is kept");
        assertTrue(ignition.contains("address0%3D192.0.2.50%2F24"), "worker-0's static address, from its NMState file");
        EmbedArea area;
        try (FileChannel ch = FileChannel.open(baseIso, StandardOpenOption.READ)) {
            area = IsoInspector.locateIgnitionArea(ch, ch.size());
        }
        Tools.sh(dir, "cmp -n " + area.offset() + " " + baseIso.toAbsolutePath() + " out.iso");
        Tools.sh(dir, "cmp -i " + area.end() + ":" + area.end() + " " + baseIso.toAbsolutePath() + " out.iso");
    }

    @Test
    void headersOfGetAndHead() throws Exception {
        HttpResponse<byte[]> get = get("/worker-0.iso", null);
        assertEquals(String.valueOf(fullIso.length), get.headers().firstValue("Content-Length").orElse(null));
        assertEquals("bytes", get.headers().firstValue("Accept-Ranges").orElse(null));
        assertEquals("application/octet-stream", get.headers().firstValue("Content-Type").orElse(null));
        String etag = get.headers().firstValue("ETag").orElseThrow();
        assertTrue(etag.matches("\"[0-9a-f]{32}\""), etag);

        HttpResponse<byte[]> head = send(HttpRequest.newBuilder(URI.create(base + "/worker-0.iso"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        assertEquals(String.valueOf(fullIso.length), head.headers().firstValue("Content-Length").orElse(null));
        assertEquals(etag, head.headers().firstValue("ETag").orElse(null));
    }

    @Test
    void singleSuffixAndOpenRanges() throws Exception {
        int n = fullIso.length;
        HttpResponse<byte[]> r = get("/worker-0.iso", "bytes=100-199");
        assertEquals(206, r.statusCode());
        assertEquals("bytes 100-199/" + n, r.headers().firstValue("Content-Range").orElse(null));
        assertArrayEquals(Arrays.copyOfRange(fullIso, 100, 200), r.body());

        r = get("/worker-0.iso", "bytes=-1000");
        assertEquals(206, r.statusCode());
        assertArrayEquals(Arrays.copyOfRange(fullIso, n - 1000, n), r.body());

        r = get("/worker-0.iso", "bytes=" + (n - 10) + "-");
        assertEquals(206, r.statusCode());
        assertArrayEquals(Arrays.copyOfRange(fullIso, n - 10, n), r.body());
    }

    @Test
    void randomRangesEqualSlicesOfTheFullDownload() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            int from = random.nextInt(fullIso.length);
            int to = Math.min(fullIso.length - 1, from + random.nextInt(3 * 1024 * 1024));
            HttpResponse<byte[]> r = get("/worker-0.iso", "bytes=" + from + "-" + to);
            assertEquals(206, r.statusCode());
            assertArrayEquals(Arrays.copyOfRange(fullIso, from, to + 1), r.body(), "range " + from + "-" + to);
        }
    }

    @Test
    void multipleRangesAsMultipartByteranges() throws Exception {
        HttpResponse<byte[]> r = get("/worker-0.iso", "bytes=0-9,1000-1004");
        assertEquals(206, r.statusCode());
        String type = r.headers().firstValue("Content-Type").orElseThrow();
        var m = java.util.regex.Pattern.compile("multipart/byteranges;\\s*boundary=(\\w+)").matcher(type);
        assertTrue(m.matches(), type);
        String boundary = m.group(1);
        String body = new String(r.body(), StandardCharsets.ISO_8859_1);
        String expected = "--" + boundary + "\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 0-9/"
                + fullIso.length + "\r\n\r\n" + new String(fullIso, 0, 10, StandardCharsets.ISO_8859_1)
                + "\r\n--" + boundary + "\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 1000-1004/"
                + fullIso.length + "\r\n\r\n" + new String(fullIso, 1000, 5, StandardCharsets.ISO_8859_1)
                + "\r\n--" + boundary + "--\r\n";
        assertEquals(expected, body);
        assertEquals(String.valueOf(r.body().length), r.headers().firstValue("Content-Length").orElse(null));
    }

    @Test
    void unsatisfiableAndMalformedRanges() throws Exception {
        HttpResponse<byte[]> r = get("/worker-0.iso", "bytes=" + fullIso.length + "-");
        assertEquals(416, r.statusCode());
        assertEquals("bytes */" + fullIso.length, r.headers().firstValue("Content-Range").orElse(null));

        r = get("/worker-0.iso", "bytes=5-1");
        assertEquals(200, r.statusCode(), "malformed Range: whole image");
        assertEquals(fullIso.length, r.body().length);
    }

    @Test
    void conditionalRequests() throws Exception {
        String etag = get("/worker-0.iso", "bytes=0-0").headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(URI.create(base + "/worker-0.iso")).header("If-None-Match", etag));
        assertEquals(304, r.statusCode());
        // Liberty's HTTP channel adds Content-Length: 0 to every 304 (not settable from the app); the
        // 304 must at least carry no body and keep the connection usable.
        String head = rawGet("/worker-0.iso", "If-None-Match: " + etag + "\r\n");
        assertTrue(head.startsWith("HTTP/1.1 304") && head.endsWith("\r\n\r\n"), "no body after a 304: " + head);
        r = send(HttpRequest.newBuilder(URI.create(base + "/worker-0.iso")).header("Range", "bytes=0-3").header("If-Range", etag));
        assertEquals(206, r.statusCode());
        r = send(HttpRequest.newBuilder(URI.create(base + "/worker-0.iso")).header("Range", "bytes=0-3").header("If-Range", "\"old\""));
        assertEquals(200, r.statusCode());
        assertEquals(fullIso.length, r.body().length);
    }

    @Test
    void initramfsIsBasePlusArchive(@TempDir Path dir) throws Exception {
        Path baseInitrd = IT_DIR.resolve("base.initramfs");
        HttpResponse<byte[]> r = get("/worker-1.initramfs", null);
        assertEquals(200, r.statusCode());
        byte[] baseBytes = Files.readAllBytes(baseInitrd);
        assertArrayEquals(baseBytes, Arrays.copyOf(r.body(), baseBytes.length));
        Files.write(dir.resolve("tail.gz"), Arrays.copyOfRange(r.body(), baseBytes.length, r.body().length));
        Files.createDirectory(dir.resolve("x"));
        Tools.sh(dir.resolve("x"), "gzip -dc ../tail.gz | cpio -idm --quiet");
        assertTrue(Files.readString(dir.resolve("x/config.ign")).contains("IPA_DEFAULT_HOSTNAME=worker-1"));
    }

    @Test
    void staticModeNamesAndNotFound() throws Exception {
        for (String name : new String[] {"worker-0.iso", "worker-0.initramfs", "worker-1.iso", "worker-1.initramfs"}) {
            assertEquals(206, get("/" + name, "bytes=0-0").statusCode(), name);
        }
        // Exact names only: no trailing slash, path parameter, dot segment, encoded slash or backslash.
        for (String path : new String[] {"/worker-0.yaml", "/worker-2.iso", "/WORKER-0.ISO", "/worker-0.iso/x",
                "/worker-0.iso/", "/worker-0.iso;x", "/x/../worker-0.iso", "/nmstate%2Fworker-0.yaml",
                "/a%2Fworker-0.iso", "/%5cworker-0.iso", "/invalid"}) {
            HttpResponse<byte[]> r = get(path, null);
            assertEquals(404, r.statusCode(), path);
            assertTrue(r.body().length < 1024, path + " answered " + r.body().length + " bytes");
        }
        assertTrue(!Files.readString(ItFixtures.staticServerLog()).contains("SRVE0315E"), "a client's odd path is not logged as a server error");
        // Liberty's web container refuses NULs, bad escapes and traversal above the root itself, with
        // 400, before any application sees the request.
        // Sent over a raw socket: java.net.URI refuses some of these paths on the client side.
        for (String path : new String[] {"/worker-0.iso%00", "/%2e%2e%2fworker-0.iso", "/..%2Fworker-0.iso",
                "/%2e%2e/it/base.iso", "/../worker-0.iso", "/%zz"}) {
            String response = rawGet(path);
            assertTrue(response.startsWith("HTTP/1.1 400 "), path + " answered " + response.lines().findFirst().orElse(""));
            assertTrue(response.length() < 1024, path + " answered " + response.length() + " bytes");
        }
    }

    @Test
    void noListingAtTheRoot() throws Exception {
        HttpResponse<byte[]> r = get("/", null);
        assertTrue(r.statusCode() == 404 || r.statusCode() == 405, "status " + r.statusCode());
        assertTrue(!new String(r.body(), StandardCharsets.UTF_8).contains("worker-0"), "no image names leak");
    }

    @Test
    void metrics() throws Exception {
        double ranged = requests("206");
        get("/worker-1.iso", "bytes=0-99");
        String m = new String(get("/metrics?scope=application", null).body(), StandardCharsets.UTF_8);
        assertEquals(ranged + 1, requests("206"), "one more 206 counted");
        assertTrue(m.matches("(?s).*icc_images_registered\\{[^}]*\\} 4\\.0.*"), m);
        assertTrue(m.matches("(?s).*icc_bytes_served\\w*_total\\{[^}]*\\} [1-9].*"), m);
        assertTrue(m.contains("icc_active_streams"), m);
        assertTrue(!m.contains("mp_scope=\"base\""), "only the application scope was asked for");
    }

    /** Prometheus' text format, JVM figures under MicroProfile Metrics' base names, no session cookie. */
    @Test
    void allMetricsForPrometheus() throws Exception {
        HttpResponse<byte[]> r = get("/metrics", null);
        assertEquals(200, r.statusCode());
        String type = r.headers().firstValue("Content-Type").orElse("").replace(" ", "");
        assertTrue(type.startsWith("text/plain;") && type.contains(";version=0.0.4"), type);
        assertTrue(r.headers().firstValue("Set-Cookie").isEmpty(), "a scrape creates no session");
        String m = new String(r.body(), StandardCharsets.UTF_8);
        assertTrue(m.matches("(?s).*\nmemory_usedHeap_bytes\\{mp_scope=\"base\"\\} [1-9].*"), m);
        assertTrue(m.matches("(?s).*\nicc_images_registered\\{mp_scope=\"application\"\\} 4\\.0\n.*"), m);
        assertEquals(404, get("/metrics?scope=everything", null).statusCode());
        String vendor = new String(get("/metrics?scope=vendor", null).body(), StandardCharsets.UTF_8);
        assertEquals("", vendor, "nothing Liberty-specific is exported");
    }

    static double requests(String status) throws Exception {
        String m = new String(get("/metrics?scope=application", null).body(), StandardCharsets.UTF_8);
        java.util.regex.Matcher v = java.util.regex.Pattern.compile(
                "icc_image_requests_total\\{[^}]*status=\"" + status + "\"[^}]*\\} ([0-9.]+)").matcher(m);
        assertTrue(v.find(), m);
        return Double.parseDouble(v.group(1));
    }

    @Test
    void readiness() throws Exception {
        HttpResponse<byte[]> r = get("/health/ready", null);
        assertEquals(200, r.statusCode());
        assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("\"UP\""));
    }

    /** The whole response to a GET of a path sent exactly as given (head and body, as ISO-8859-1). */
    static String rawGet(String path) throws IOException {
        return rawGet(path, "");
    }

    /** @param headers extra header lines, each ending in CRLF */
    static String rawGet(String path, String headers) throws IOException {
        URI server = URI.create(base);
        try (Socket s = new Socket(server.getHost(), server.getPort())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + headers
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readNBytes(1 << 20), StandardCharsets.ISO_8859_1);
        }
    }

    static HttpResponse<byte[]> get(String path, String range) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (range != null) {
            b.header("Range", range);
        }
        return send(b);
    }

    /** The JDK client offers an h2c upgrade by default; the server must answer in HTTP/1.1. */
    static HttpResponse<byte[]> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = HTTP.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(HttpClient.Version.HTTP_1_1, r.version());
        return r;
    }
}
