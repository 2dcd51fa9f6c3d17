package io.metal3.icc.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.metal3.icc.testing.Certs;
import io.metal3.icc.testing.LibertyServer;
import io.metal3.icc.testing.Tools;
import io.metal3.icc.tls.TlsSetup;

/**
 * HTTPS on the image endpoint, on real servers set up as the launcher does (the same TlsSetup turns
 * the PEM pair into the key store): the Intermediate profile with plain HTTP kept beside it, and the
 * Modern profile over HTTPS only. Real clients check what matters to BMCs: openssl s_client for
 * versions and ciphers, QEMU's curl driver for ranges over TLS; a raw TLS socket sees which
 * certificate a connection got while the Secret is rotated the way the kubelet does it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TlsIT {

    static final Path IT_DIR = Path.of(System.getProperty("it.dir", "target/it"));
    static final Path DIR = IT_DIR.resolve("tls");
    static final String ISO = "/worker-0.iso";
    /** Custom profile: exactly these two (OpenSSL and IANA spelling), from TLS 1.2. */
    static final String CUSTOM_CIPHERS = "ECDHE-RSA-AES256-GCM-SHA384,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256";
    /** MAX_CONCURRENT_REQUESTS of the Intermediate server: above what QEMU and aria2c open at once. */
    static final int CAP = 8;
    static LibertyServer intermediate;
    static LibertyServer modern;
    static LibertyServer custom;
    static int httpsPort;
    static int modernPort;
    static int customPort;
    static Path images;
    static Path mount;
    static Path[] first;
    static Path[] second;
    static final HttpClient TRUSTING = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .sslContext(trustAll()).build();
    static final HttpClient PLAIN = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static long isoSize;
    static String isoSha;

    @BeforeAll
    static void start() throws Exception {
        Tools.sh(IT_DIR, "rm -rf tls");
        first = Certs.selfSigned(DIR.resolve("v1"), "tls", "images-v1", Certs.Key.RSA_PKCS1);
        second = Certs.selfSigned(DIR.resolve("v2"), "tls", "images-v2", Certs.Key.EC_SEC1);
        // A mounted kubernetes.io/tls Secret: tls.crt and tls.key link through ..data, which the kubelet swaps.
        mount = Files.createDirectories(DIR.resolve("secret"));
        Files.createSymbolicLink(mount.resolve("..data"), first[0].getParent().toAbsolutePath());
        Files.createSymbolicLink(mount.resolve("tls.crt"), Path.of("..data/tls.crt"));
        Files.createSymbolicLink(mount.resolve("tls.key"), Path.of("..data/tls.key"));
        // A 200 MiB base, so that a download spans a rotation; kept between runs.
        images = IT_DIR.resolve("tls-base");
        io.metal3.icc.demo.SampleImages.generate(images, 200L << 20);
        Files.copy(IT_DIR.resolve("nmstate/worker-0.yaml"), images.resolve("nmstate/worker-0.yaml"), StandardCopyOption.REPLACE_EXISTING);

        int httpPort = freePort();
        httpsPort = freePort();
        Map<String, String> env = base();
        env.put("IMAGES_HTTPS_PORT", Integer.toString(httpsPort));
        env.put("IMAGES_PUBLISH_ADDR", "https://127.0.0.1:" + httpsPort);
        env.put("MAX_CONCURRENT_REQUESTS", Integer.toString(CAP));
        env.putAll(launcherTls(env, "intermediate"));
        intermediate = LibertyServer.start(ItFixtures.SERVERS, "icc-static", "icc-tls", env, httpPort);

        modernPort = freePort();
        Map<String, String> m = base();
        m.put("IMAGES_HTTPS_PORT", Integer.toString(modernPort));
        m.put("IMAGES_HTTP_ENABLED", "false");
        m.put("TLS_SECURITY_PROFILE", "Modern");
        m.put("IMAGES_PUBLISH_ADDR", "https://127.0.0.1:" + modernPort);
        m.putAll(launcherTls(m, "modern"));
        modern = LibertyServer.start(ItFixtures.SERVERS, "icc-static", "icc-tls-modern", m, -1);

        customPort = freePort();
        Map<String, String> c = base();
        c.put("IMAGES_HTTPS_PORT", Integer.toString(customPort));
        c.put("TLS_SECURITY_PROFILE", "Custom");
        c.put("TLS_MIN_VERSION", "VersionTLS12");
        c.put("TLS_CIPHER_SUITES", CUSTOM_CIPHERS);
        c.putAll(launcherTls(c, "custom"));
        custom = LibertyServer.start(ItFixtures.SERVERS, "icc-static", "icc-tls-custom", c);

        intermediate.awaitReady(Duration.ofSeconds(90));
        intermediate.awaitReady(Duration.ofSeconds(30), https(httpsPort), TRUSTING);
        modern.awaitReady(Duration.ofSeconds(90), https(modernPort), TRUSTING);
        custom.awaitReady(Duration.ofSeconds(90));
        isoSize = Files.size(IT_DIR.resolve("tls-base/base.iso"));
        Digest plain = digest(intermediate.base() + ISO, PLAIN);
        assertEquals(isoSize, plain.size());
        isoSha = plain.sha256();
    }

    @AfterAll
    static void stop() {
        if (intermediate != null) {
            intermediate.close();
        }
        if (modern != null) {
            modern.close();
        }
        if (custom != null) {
            custom.close();
        }
    }

    static Map<String, String> base() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("NMSTATE_DIR", images.resolve("nmstate").toAbsolutePath().toString());
        env.put("DEPLOY_ISO", images.resolve("base.iso").toAbsolutePath().toString());
        env.put("DEPLOY_INITRD", images.resolve("base.initramfs").toAbsolutePath().toString());
        env.put("IRONIC_AGENT_IMAGE", "quay.io/metal3-io/ironic-agent:it");
        env.put("IRONIC_BASE_URL", "http://192.0.2.10");
        env.put("IRONIC_AGENT_PULL_SECRET", "eyJhdXRocyI6e319");
        env.put("ICC_DRAIN_FILE", DIR.resolve("drain").toAbsolutePath().toString());
        env.put("IMAGES_TLS_CERT_FILE", mount.resolve("tls.crt").toAbsolutePath().toString());
        env.put("IMAGES_TLS_KEY_FILE", mount.resolve("tls.key").toAbsolutePath().toString());
        return env;
    }

    /** What icc-launch adds when IMAGES_TLS_CERT_FILE is set: the key store, its password, the profile for tls.xml. */
    static Map<String, String> launcherTls(Map<String, String> env, String name) throws Exception {
        Map<String, String> tls = new LinkedHashMap<>();
        tls.put("ICC_TLS_CONFIG", "tls.xml");
        tls.put("ICC_TLS_KEYSTORE", DIR.resolve(name + "/keystore.p12").toAbsolutePath().toString());
        tls.put("ICC_TLS_KEYSTORE_PASSWORD", new BigInteger(128, new SecureRandom()).toString(16));
        Map<String, String> all = new LinkedHashMap<>(env);
        all.putAll(tls);
        for (String line : TlsSetup.run(all).split("\n")) {
            String[] kv = line.split("=", 2);
            tls.put(kv[0], kv[1].replaceAll("^'|'$", ""));
        }
        return tls;
    }

    @Test
    @Order(1)
    void httpsServesTheSameBytesHeadersAndEtagsAsHttp() throws Exception {
        Digest overTls = digest(https(httpsPort) + ISO, TRUSTING);
        assertEquals(isoSha, overTls.sha256(), "identical bytes on both listeners");
        HttpResponse<byte[]> plainHead = PLAIN.send(HttpRequest.newBuilder(URI.create(intermediate.base() + ISO))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> head = TRUSTING.send(HttpRequest.newBuilder(URI.create(https(httpsPort) + ISO))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, head.statusCode());
        assertEquals(Long.toString(isoSize), head.headers().firstValue("Content-Length").orElseThrow());
        String etag = head.headers().firstValue("ETag").orElseThrow();
        assertEquals(plainHead.headers().firstValue("ETag").orElseThrow(), etag);
        assertEquals("HTTP_1_1", head.version().name());

        HttpResponse<byte[]> range = get(https(httpsPort) + ISO, Map.of("Range", "bytes=32768-33791"));
        assertEquals(206, range.statusCode());
        assertEquals("bytes 32768-33791/" + isoSize, range.headers().firstValue("Content-Range").orElseThrow());
        assertArrayEquals(PLAIN.send(HttpRequest.newBuilder(URI.create(intermediate.base() + ISO)).header("Range", "bytes=32768-33791")
                .build(), HttpResponse.BodyHandlers.ofByteArray()).body(), range.body());
        assertEquals(304, get(https(httpsPort) + ISO, Map.of("If-None-Match", etag)).statusCode());
        assertEquals(416, get(https(httpsPort) + ISO, Map.of("Range", "bytes=" + isoSize + "-")).statusCode());
        assertEquals(404, get(https(httpsPort) + "/no-such-host.iso", Map.of()).statusCode());
        HttpResponse<byte[]> initrd = get(https(httpsPort) + "/worker-0.initramfs", Map.of());
        assertEquals(200, initrd.statusCode());
        assertArrayEquals(PLAIN.send(HttpRequest.newBuilder(URI.create(intermediate.base() + "/worker-0.initramfs")).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body(), initrd.body());
    }

    @Test
    @Order(2)
    void theProfilesVersionsAndCiphersAreWhatOpenSslCanNegotiate() {
        // Intermediate: TLS 1.2 with its ECDHE AEAD ciphers, and TLS 1.3; not TLS 1.1, not RSA key exchange.
        assertTrue(sClient(httpsPort, "-tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256").contains("Cipher is ECDHE-RSA-AES128-GCM-SHA256"));
        assertTrue(sClient(httpsPort, "-tls1_3").contains("TLSv1.3"));
        assertHandshakeFails(httpsPort, "-tls1_2 -cipher AES128-SHA");
        assertHandshakeFails(httpsPort, "-tls1_2 -cipher ECDHE-RSA-AES128-SHA256");
        assertHandshakeFails(httpsPort, "-tls1_1 -cipher DEFAULT@SECLEVEL=0");
        // Modern: TLS 1.3 only.
        assertTrue(sClient(modernPort, "-tls1_3 -ciphersuites TLS_CHACHA20_POLY1305_SHA256")
                .contains("TLS_CHACHA20_POLY1305_SHA256"));
        assertHandshakeFails(modernPort, "-tls1_2");
        assertHandshakeFails(modernPort, "-tls1_1 -cipher DEFAULT@SECLEVEL=0");
    }

    /** sslscan enumerates what each server accepts: exactly the profile's ciphers its certificate can use. */
    @Test
    @Order(3)
    void sslscanFindsExactlyTheProfilesCiphers() {
        if (!Tools.available("sslscan")) {
            throw new org.opentest4j.TestAbortedException("sslscan is not installed (bash .ci/run installs it)");
        }
        // The certificate in service is RSA here (rotation comes later): ECDSA suites cannot be chosen.
        assertEquals(java.util.Set.of("TLSv1.3 TLS_AES_128_GCM_SHA256", "TLSv1.3 TLS_AES_256_GCM_SHA384",
                "TLSv1.3 TLS_CHACHA20_POLY1305_SHA256", "TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256",
                "TLSv1.2 ECDHE-RSA-AES256-GCM-SHA384", "TLSv1.2 ECDHE-RSA-CHACHA20-POLY1305"), sslscan(httpsPort));
        assertEquals(java.util.Set.of("TLSv1.3 TLS_AES_128_GCM_SHA256", "TLSv1.3 TLS_AES_256_GCM_SHA384",
                "TLSv1.3 TLS_CHACHA20_POLY1305_SHA256"), sslscan(modernPort));
        assertEquals(java.util.Set.of("TLSv1.2 ECDHE-RSA-AES256-GCM-SHA384", "TLSv1.2 ECDHE-RSA-CHACHA20-POLY1305"),
                sslscan(customPort), "Custom with two ciphers offers exactly those");
    }

    static java.util.Set<String> sslscan(int port) {
        Tools.Result r = Tools.run(DIR, List.of("sslscan", "--no-colour", "--no-check-certificate", "--no-heartbleed",
                "--no-renegotiation", "--no-compression", "--no-groups", "--no-fallback", "127.0.0.1:" + port));
        assertEquals(0, r.exit(), r.stdout() + r.stderr());
        java.util.Set<String> accepted = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^(?:Preferred|Accepted)\\s+(TLSv1\\.\\d|SSLv\\d)\\s+\\d+ bits\\s+(\\S+)")
                .matcher(r.stdout());
        while (m.find()) {
            accepted.add(m.group(1) + " " + m.group(2));
        }
        System.out.println("TLS: sslscan " + port + ": " + accepted);
        return accepted;
    }

    @Test
    @Order(4)
    void httpsOnlyServesOverTlsAndNothingInClear() throws Exception {
        HttpResponse<byte[]> r = get(https(modernPort) + ISO, Map.of("Range", "bytes=0-1023"));
        assertEquals(206, r.statusCode());
        assertArrayEquals(get(https(httpsPort) + ISO, Map.of("Range", "bytes=0-1023")).body(), r.body());
        String log = Files.readString(modern.log());
        assertTrue(log.contains("CWWKO0219I") && log.contains("defaultHttpEndpoint-ssl") && log.contains(":" + modernPort),
                "the TLS listener started: " + log.lines().filter(l -> l.contains("CWWKO0219I")).toList());
        assertFalse(log.lines().anyMatch(l -> l.contains("CWWKO0219I") && l.contains("defaultHttpEndpoint ")),
                "no plain listener: " + log.lines().filter(l -> l.contains("CWWKO0219I")).toList());
        // A client that speaks plain HTTP to the TLS port gets no image.
        try (Socket s = new Socket("127.0.0.1", modernPort)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + ISO + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] answer = s.getInputStream().readNBytes(64);
            assertFalse(new String(answer, StandardCharsets.ISO_8859_1).contains("200"), "no clear-text image");
        } catch (IOException e) {
            // closed: as good
        }
    }

    @Test
    @Order(5)
    void rangeClientsReadTheIsoOverHttpsByteForByte() throws Exception {
        String url = https(httpsPort) + ISO;
        // QEMU's curl block driver, as BMC virtual media read: HEAD, then ranges on demand.
        if (Tools.available("qemu-img")) {
            String opts = "driver=raw,file.driver=https,file.sslverify=off,file.url=" + url;
            Tools.Result info = Tools.run(DIR, List.of("qemu-img", "info", "--output=json", "--image-opts", opts));
            assertEquals(0, info.exit(), info.stderr());
            assertTrue(info.stdout().contains("\"virtual-size\": " + isoSize), info.stdout());
            // -m 1: one read at a time, as a BMC reads. With several in flight, Debian's QEMU 7.2 curl driver
            // over HTTPS hangs now and then after the last byte — against nginx as much as against us.
            Tools.Result convert = Tools.run(DIR, List.of("qemu-img", "convert", "-m", "1", "-O", "raw", "--image-opts", opts,
                    "qemu.iso"));
            assertEquals(0, convert.exit(), convert.stderr());
            assertEquals(isoSha, sha256(DIR.resolve("qemu.iso")), "qemu-img over HTTPS");
        } else {
            System.out.println("TLS: qemu-img not installed (bash .ci/run installs qemu-utils): its check not run");
        }
        // aria2c: 4 connections, 1 MiB pieces, in ranges.
        if (Tools.available("aria2c")) {
            Tools.Result aria = Tools.run(DIR, List.of("aria2c", "--check-certificate=false", "-x4", "-s4", "-k1M",
                    "--allow-overwrite=true", "--auto-file-renaming=false", "-q", "-d", DIR.toAbsolutePath().toString(),
                    "-o", "aria2.iso", url));
            assertEquals(0, aria.exit(), aria.stdout() + aria.stderr());
            assertEquals(isoSha, sha256(DIR.resolve("aria2.iso")), "aria2c over HTTPS");
        } else {
            System.out.println("TLS: aria2c not installed (bash .ci/run installs aria2): its check not run");
        }
        // curl, a range at an odd place across the embed area's neighbourhood.
        Tools.Result curl = Tools.run(DIR, List.of("curl", "-skf", "-r", "40000-1100000", "-o", "curl.part", url));
        assertEquals(0, curl.exit(), curl.stderr());
        assertArrayEquals(PLAIN.send(HttpRequest.newBuilder(URI.create(intermediate.base() + ISO)).header("Range", "bytes=40000-1100000")
                .build(), HttpResponse.BodyHandlers.ofByteArray()).body(), Files.readAllBytes(DIR.resolve("curl.part")));
        Files.deleteIfExists(DIR.resolve("qemu.iso"));
        Files.deleteIfExists(DIR.resolve("aria2.iso"));
    }

    @Test
    @Order(6)
    void aRotatedSecretReachesNewConnectionsWhileADownloadUnderWayFinishesOnTheOldCertificate() throws Exception {
        String v1 = serialOf(first[0]);
        String v2 = serialOf(second[0]);
        try (TlsDownload slow = new TlsDownload(httpsPort, ISO)) {
            assertEquals(v1, slow.serial());
            slow.read(64 * 1024);
            long t0 = System.nanoTime();
            swap(second[0].getParent());
            String seen = v1;
            while (!seen.equals(v2) && System.nanoTime() - t0 < 60_000_000_000L) {
                Thread.sleep(1000);
                slow.read(16 * 1024);  // the download goes on, slowly
                try (TlsDownload probe = new TlsDownload(httpsPort, "/health/ready")) {
                    seen = probe.serial();
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(v2, seen, "new connections get the new certificate within 60 s");
            System.out.printf("TLS: rotation reached new connections in %.1f s%n", seconds);
            assertEquals(v1, slow.serial(), "the download under way keeps its connection");
            assertEquals(isoSha, slow.finish(), "all 200 MiB, byte for byte, across the rotation");
        }

        // Half a rotation (the new certificate with the old key): refused, said in the log, v2 stays.
        Path half = Files.createDirectories(DIR.resolve("half"));
        Files.copy(first[0], half.resolve("tls.crt"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(second[1], half.resolve("tls.key"), StandardCopyOption.REPLACE_EXISTING);
        swap(half);
        long t0 = System.nanoTime();
        String log = "";
        while (!log.contains("new certificate files refused") && System.nanoTime() - t0 < 30_000_000_000L) {
            Thread.sleep(500);
            log = Files.readString(intermediate.log());
        }
        assertTrue(log.contains("TLS: new certificate files refused, the certificate in service stays: the private key"
                + " does not belong to the certificate (CN=images-v1)"), log);
        assertFalse(log.contains("PRIVATE KEY"), "no key material in the log");
        Thread.sleep(6000);  // Liberty's key store poll
        try (TlsDownload probe = new TlsDownload(httpsPort, "/health/ready")) {
            assertEquals(v2, probe.serial(), "the pair in service stays");
        }
    }

    @Test
    @Order(7)
    void beyondTheCapExactlyTheExtraDownloadsGet503AndTheOthersFinishIntact() throws Exception {
        double throttledBefore = throttled();
        List<TlsDownload> held = new ArrayList<>();
        try {
            for (int i = 0; i < CAP; i++) {  // as many downloads under way, paused, as the cap allows
                TlsDownload d = new TlsDownload(httpsPort, ISO);
                d.read(64 * 1024);
                held.add(d);
            }
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
            List<java.util.concurrent.Future<HttpResponse<byte[]>>> extra = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                extra.add(pool.submit(() -> get(https(httpsPort) + ISO, Map.of())));
            }
            for (var f : extra) {
                HttpResponse<byte[]> r = f.get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertEquals(503, r.statusCode(), "beyond the cap");
                assertEquals("5", r.headers().firstValue("Retry-After").orElseThrow());
            }
            pool.shutdown();
            assertEquals(200, get(https(httpsPort) + "/health/ready", Map.of()).statusCode(), "only images are capped");
            assertEquals(throttledBefore + 3, throttled(), "counted in /metrics");
            for (TlsDownload d : held) {
                assertEquals(isoSha, d.finish(), "a download within the cap is not disturbed");
            }
        } finally {
            for (TlsDownload d : held) {
                d.close();
            }
        }
        long t0 = System.nanoTime();
        int status = 0;
        while (status != 206 && System.nanoTime() - t0 < 20_000_000_000L) {
            status = get(https(httpsPort) + ISO, Map.of("Range", "bytes=0-99")).statusCode();
            Thread.sleep(100);
        }
        assertEquals(206, status, "the slots come back when the downloads end");
    }

    static double throttled() throws Exception {
        String metrics = new String(get(https(httpsPort) + "/metrics?scope=application", Map.of()).body(), StandardCharsets.UTF_8);
        return metrics.lines().filter(l -> l.startsWith("icc_image_requests_throttled_total")).findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElseThrow(() -> new AssertionError(metrics));
    }

    static void swap(Path target) throws IOException {
        Path tmp = mount.resolve("..data_tmp");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, target.toAbsolutePath());
        Files.move(tmp, mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static String serialOf(Path cert) {
        return Certs.serial(cert).toLowerCase().replaceFirst("^0+", "");
    }

    static String sClient(int port, String options) {
        Tools.Result r = Tools.run(DIR, List.of("sh", "-c", "openssl s_client -connect 127.0.0.1:" + port + " " + options
                + " </dev/null 2>&1"));
        assertEquals(0, r.exit(), "openssl s_client " + options + ":\n" + r.stdout());
        return r.stdout();
    }

    static void assertHandshakeFails(int port, String options) {
        Tools.Result r = Tools.run(DIR, List.of("sh", "-c", "openssl s_client -connect 127.0.0.1:" + port + " " + options
                + " </dev/null 2>&1"));
        assertNotEquals(0, r.exit(), "openssl s_client " + options + " should not connect:\n" + r.stdout());
    }

    record Digest(long size, String sha256) {
    }

    /** A whole GET, digested as it streams (200 MiB stay out of the heap). */
    static Digest digest(String url, HttpClient client) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode(), url);
        java.security.MessageDigest sha = sha256();
        long size = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = r.body()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
                size += n;
            }
        }
        return new Digest(size, java.util.HexFormat.of().formatHex(sha.digest()));
    }

    static String sha256(Path file) throws IOException {
        java.security.MessageDigest sha = sha256();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return java.util.HexFormat.of().formatHex(sha.digest());
    }

    static java.security.MessageDigest sha256() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String https(int port) {
        return "https://127.0.0.1:" + port;
    }

    static HttpResponse<byte[]> get(String url, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        headers.forEach(b::header);
        return TRUSTING.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static SSLContext trustAll() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return ctx;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One GET over its own TLS connection, read as slowly as the test likes; knows its certificate. */
    static final class TlsDownload implements AutoCloseable {
        private final SSLSocket socket;
        private final InputStream in;
        private final java.security.MessageDigest sha = sha256();
        private long remaining;

        TlsDownload(int port, String path) throws IOException {
            socket = (SSLSocket) trustAll().getSocketFactory().createSocket("127.0.0.1", port);
            socket.setSoTimeout(30_000);
            socket.startHandshake();
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            in = socket.getInputStream();
            StringBuilder header = new StringBuilder();
            while (!header.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("closed in the headers: " + header);
                }
                header.append((char) c);
            }
            if (!header.toString().startsWith("HTTP/1.1 200")) {
                throw new IOException("not 200: " + header);
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(header);
            remaining = m.find() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE;
        }

        String serial() throws IOException {
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber().toString(16);
        }

        /** Reads up to n more bytes of the body. */
        void read(int n) throws IOException {
            byte[] b = in.readNBytes((int) Math.min(n, remaining));
            remaining -= b.length;
            sha.update(b);
        }

        /** Reads the rest of the body; the SHA-256 of all of it. */
        String finish() throws IOException {
            byte[] buffer = new byte[1 << 16];
            while (remaining > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (n < 0) {
                    throw new IOException(remaining + " bytes missing");
                }
                sha.update(buffer, 0, n);
                remaining -= n;
            }
            return java.util.HexFormat.of().formatHex(sha.digest());
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
