package io.metal3.icc.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.channels.FileChannel;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;

import io.metal3.icc.demo.SampleImages;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Bad clients and bad luck against the static-mode server: many random ranges, hostile Range
 * headers, clients that disconnect mid-stream, and the base ISO replaced while streams run.
 * Bounded in count and time, loopback only.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServingReliabilityIT {

    static final Path IT_DIR = Path.of(System.getProperty("it.dir", "target/it"));
    static final int PORT = Integer.parseInt(System.getProperty("microshed_http_port", "18084"));
    static final String URL = "http://localhost:" + PORT + "/worker-0.iso";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static byte[] full;

    @BeforeAll
    static void download() throws Exception {
        full = send(null).body();
        assertEquals(Files.size(IT_DIR.resolve("base.iso")), full.length);
    }

    static HttpResponse<byte[]> send(String range) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(URL)).timeout(Duration.ofSeconds(60));
        if (range != null) {
            b.header("Range", range);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    @Order(1)
    void tenThousandRandomRangesEqualTheFullImage() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            long seed = t;
            done.add(pool.submit(() -> {
                Random r = new Random(seed);
                for (int i = 0; i < 2500; i++) {
                    int from = r.nextInt(full.length);
                    int len = 1 + r.nextInt(r.nextBoolean() ? 4096 : 65536);
                    int to = Math.min(full.length - 1, from + len - 1);
                    HttpResponse<byte[]> resp = send("bytes=" + from + "-" + to);
                    assertEquals(206, resp.statusCode());
                    assertArrayEquals(Arrays.copyOfRange(full, from, to + 1), resp.body(), "bytes=" + from + "-" + to);
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
    }

    @Test
    @Order(2)
    void hostileRangeHeadersNeverGiveA5xxOrWrongBytes() throws Exception {
        Random r = new Random(99);
        List<String> headers = new ArrayList<>(List.of(
                "bytes=99999999999999999999999999-", "bytes=-99999999999999999999999", "bytes=-1-2", "bytes=--5",
                "bytes=5--", "bytes=" + full.length + "-" + (full.length + 10), "bytes=0-0,0-0,0-0,0-0",
                "bytes=1-1,3-3,5-5,7-7,9-9,11-11", "bytes=" + "0-1,".repeat(2000), "bytes=" + "5-10,".repeat(500),
                "bytes=\u00e9-1", "bytes=0x10-0x20", "bytes= 1 - 2", "BYTES=0-3", "bytes=0-3;q=1", "bytes",
                "bytes=", "bytes=,,,,", "items=0-5", "bytes=3-1", "bytes=9223372036854775807-"));
        for (int i = 0; i < 300; i++) {
            StringBuilder h = new StringBuilder("bytes=");
            int n = 1 + r.nextInt(r.nextBoolean() ? 3 : 80);
            for (int k = 0; k < n; k++) {
                int a = r.nextInt(full.length + 100);
                switch (r.nextInt(4)) {
                    case 0 -> h.append(a).append('-').append(a + r.nextInt(100_000));
                    case 1 -> h.append('-').append(r.nextInt(200_000));
                    case 2 -> h.append(a).append('-');
                    default -> h.append(a).append('-').append(Math.max(0, a - r.nextInt(50)));
                }
                h.append(',');
            }
            headers.add(h.toString());
        }
        for (String header : headers) {
            HttpResponse<byte[]> resp = send(header);
            int status = resp.statusCode();
            assertTrue(status == 200 || status == 206 || status == 416, header + " -> " + status);
            if (status == 200) {
                assertArrayEquals(full, resp.body(), header);
            } else if (status == 206) {
                String type = resp.headers().firstValue("Content-Type").orElse("");
                if (type.startsWith("multipart/byteranges")) {
                    checkMultipart(resp.body(), type, header);
                } else {
                    checkSingle(resp, header);
                }
            } else {
                assertEquals("bytes */" + full.length, resp.headers().firstValue("Content-Range").orElse(""), header);
            }
        }
    }

    static void checkSingle(HttpResponse<byte[]> resp, String header) {
        Matcher m = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)").matcher(resp.headers().firstValue("Content-Range").orElse(""));
        assertTrue(m.matches(), header);
        int a = Integer.parseInt(m.group(1));
        int b = Integer.parseInt(m.group(2));
        assertArrayEquals(Arrays.copyOfRange(full, a, b + 1), resp.body(), header);
    }

    static void checkMultipart(byte[] body, String type, String header) {
        String boundary = type.replaceAll(".*boundary=", "");
        String text = new String(body, StandardCharsets.ISO_8859_1);
        Matcher m = Pattern.compile("--" + boundary + "\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes (\\d+)-(\\d+)/\\d+\r\n\r\n")
                .matcher(text);
        int parts = 0;
        long lastEnd = -1;
        while (m.find()) {
            int a = Integer.parseInt(m.group(1));
            int b = Integer.parseInt(m.group(2));
            assertArrayEquals(Arrays.copyOfRange(full, a, b + 1), Arrays.copyOfRange(body, m.end(), m.end() + b - a + 1), header);
            parts++;
            lastEnd = m.end() + b - a + 1;
        }
        assertTrue(parts >= 2, header);
        assertEquals("\r\n--" + boundary + "--\r\n", text.substring((int) lastEnd), header);
    }

    @Test
    @Order(3)
    void aThousandClientsThatDisconnectMidStreamLeakNothing() throws Exception {
        long pid = serverPid();
        int fdsBefore = count("/proc/" + pid + "/fd");
        int threadsBefore = count("/proc/" + pid + "/task");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int n = i;
            done.add(pool.submit(() -> {
                try (Socket s = new Socket("localhost", PORT)) {
                    s.setSoLinger(true, 0); // reset, like a BMC that gives up
                    OutputStream out = s.getOutputStream();
                    out.write(("GET /worker-" + (n % 2) + ".iso HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    InputStream in = s.getInputStream();
                    in.readNBytes(1024 + n % 20_000);
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        // The server notices the resets as it writes; give it a moment, then nothing may remain.
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int fds = Integer.MAX_VALUE;
        int threads = Integer.MAX_VALUE;
        while (System.nanoTime() < end) {
            fds = count("/proc/" + pid + "/fd");
            threads = count("/proc/" + pid + "/task");
            if (fds <= fdsBefore + 10 && threads <= threadsBefore + 20) {
                break;
            }
            Thread.sleep(250);
        }
        assertTrue(fds <= fdsBefore + 10, "open files: before " + fdsBefore + ", after " + fds);
        assertTrue(threads <= threadsBefore + 20, "threads: before " + threadsBefore + ", after " + threads);
        assertArrayEquals(full, send(null).body(), "still serving correctly");
    }

    @Test
    @Order(4)
    void baseIsoReplacedWhileStreamsRun() throws Exception {
        String etagBefore = send("bytes=0-0").headers().firstValue("ETag").orElseThrow();
        HttpRequest req = HttpRequest.newBuilder(URI.create(URL)).timeout(Duration.ofSeconds(60)).build();
        HttpResponse<InputStream> running = HTTP.send(req, HttpResponse.BodyHandlers.ofInputStream());
        byte[] first = running.body().readNBytes(100_000);
        // Replace the file the way an image updater does: a new file renamed over the old one. The new
        // one differs in one byte of the ISO's system area (outside anything the server reads).
        Path base = IT_DIR.resolve("base.iso");
        Path tmp = IT_DIR.resolve("base.iso.new");
        byte[] original = Files.readAllBytes(base);
        byte[] changed = original.clone();
        changed[100] ^= 1;
        Files.write(tmp, changed);
        Files.move(tmp, base, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        byte[] rest = running.body().readAllBytes();
        byte[] all = new byte[first.length + rest.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        assertArrayEquals(full, all, "the running stream finished on the file it started with");
        HttpResponse<byte[]> after = send(null);
        assertNotEquals(etagBefore, after.headers().firstValue("ETag").orElseThrow(), "new content, new ETag");
        byte[] expected = full.clone();
        expected[100] ^= 1;
        assertArrayEquals(expected, after.body());

        // The same bytes again (another file, inode and mtime): the ETag is derived from content only.
        Files.write(tmp, original);
        Files.setLastModifiedTime(tmp, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        Files.move(tmp, base, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        HttpResponse<byte[]> restored = send(null);
        assertEquals(etagBefore, restored.headers().firstValue("ETag").orElseThrow(), "same content, same ETag");
        assertArrayEquals(full, restored.body());
        // The server keeps the current version of a base file open; replaced versions are closed once
        // their last stream is done (else every replacement would pin a deleted ISO's disk space).
        assertEquals(List.of(), openDeletedFiles(serverPid(), "base.iso"), "replaced base files still open");
    }

    static List<String> openDeletedFiles(long pid, String name) throws IOException {
        List<String> open = new ArrayList<>();
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.contains(name) && target.endsWith("(deleted)")) {
                        open.add(target);
                    }
                } catch (IOException e) {
                    // closed while listing
                }
            }
        }
        return open;
    }

    @Test
    @Order(5)
    void truncatedOrMissingBaseFailsCleanly() throws Exception {
        Path base = IT_DIR.resolve("base.iso");
        Path kept = IT_DIR.resolve("base.iso.kept");
        Files.copy(base, kept, StandardCopyOption.REPLACE_EXISTING);
        // A base larger than the loopback socket buffers, so the stream is still reading when it is cut.
        SampleImages.generate(IT_DIR.resolve("big"), 96L << 20);
        Path big = IT_DIR.resolve("big/base.iso");
        long bigSize = Files.size(big);
        Files.move(big, base, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        try {
            try (Socket s = new Socket()) {
                s.setReceiveBufferSize(16 * 1024);
                s.connect(new InetSocketAddress("localhost", PORT));
                s.setSoTimeout(30_000);
                s.getOutputStream().write("GET /worker-0.iso HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                String head = readHead(in);
                assertTrue(head.startsWith("HTTP/1.1 200"), head);
                assertTrue(head.contains("Content-Length: " + bigSize + "\r\n"), head);
                assertEquals(1 << 20, in.readNBytes(1 << 20).length);
                try (FileChannel ch = FileChannel.open(base, StandardOpenOption.WRITE)) {
                    ch.truncate(bigSize / 2);
                }
                long received = 1 << 20;
                byte[] buf = new byte[65536];
                try {
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        received += n;
                    }
                } catch (SocketTimeoutException e) {
                    fail("the server neither finished nor closed the cut stream after " + received + " bytes");
                } catch (IOException e) {
                    // A reset is a clean end too.
                }
                assertTrue(received < bigSize, "the stream ended early (" + received + " of " + bigSize + " bytes)");
            }
            for (String method : new String[] {"GET", "HEAD"}) {
                HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(URL)).timeout(Duration.ofSeconds(30))
                        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(503, r.statusCode(), method + " of an image on a truncated base");
            }
            assertEquals("image unavailable: base image problem\n", new String(send(null).body(), StandardCharsets.UTF_8));
            long lines = Files.readAllLines(ItFixtures.staticServerLog()).stream()
                    .filter(l -> l.contains("cannot serve image worker-0.iso: base ISO ") && l.contains(" is truncated")).count();
            assertEquals(1, lines, "one log line for the fault, not one per request");
            Files.delete(base);
            assertEquals(503, send("bytes=0-0").statusCode(), "base file missing");
        } finally {
            Files.move(kept, base, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        HttpResponse<byte[]> back = send(null);
        assertEquals(200, back.statusCode(), "serving again once the base is back");
        assertArrayEquals(full, back.body());
    }

    static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                fail("connection closed in the response head: " + head);
            }
            head.append((char) c);
        }
        return head.toString();
    }

    static long serverPid() throws IOException {
        Path pidFile = ItFixtures.SERVERS.resolve(".pid/icc-static.pid");
        if (!Files.exists(pidFile)) {
            fail("no pid file " + pidFile.toAbsolutePath());
        }
        return Long.parseLong(Files.readString(pidFile).strip());
    }

    static int count(String dir) throws IOException {
        try (var s = Files.list(Path.of(dir))) {
            return (int) s.count();
        }
    }
}
