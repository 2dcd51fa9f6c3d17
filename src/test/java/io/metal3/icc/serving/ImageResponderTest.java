package io.metal3.icc.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metal3.icc.config.Settings;
import io.metal3.icc.demo.SampleImages;
import io.metal3.icc.image.IgnitionArchive;
import io.metal3.icc.image.ImageFormat;
import io.metal3.icc.registry.ImageRegistry;

class ImageResponderTest {

    @Test
    void onlyASingleSegmentNamesAnImage() {
        assertTrue(ImageResponder.isSingleSegment("/worker-0.iso"));
        assertTrue(ImageResponder.isSingleSegment("/worker%2D0.iso"));
        for (String raw : new String[] {null, "", "/", "worker-0.iso", "/worker-0.iso/", "/worker-0.iso;v=1",
                "/a/worker-0.iso", "//worker-0.iso", "/x/../worker-0.iso"}) {
            assertFalse(ImageResponder.isSingleSegment(raw), String.valueOf(raw));
        }
    }

    @Test
    void capabilityNamesAreShortenedInTheLog() {
        assertEquals("worker-0.iso", ImageResponder.loggable("worker-0.iso"));
        assertEquals("0123abcd...", ImageResponder.loggable("0123abcdef0123abcdef"));
        assertEquals("invalid", ImageResponder.loggable("invalid"));
        assertEquals("-", ImageResponder.loggable(null));
    }

    // --- the responder over real sample images, written into byte arrays ---

    static final byte[] IGNITION = "{\"ignition\":{\"version\":\"3.2.0\"}}".getBytes(StandardCharsets.UTF_8);

    /** Counts what the responder reports. */
    static final class Counts implements RequestMetrics {
        final List<Integer> statuses = new CopyOnWriteArrayList<>();
        final AtomicLong active = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong throttled = new AtomicLong();

        @Override
        public void throttled() {
            throttled.incrementAndGet();
        }

        @Override
        public void imageRequest(int status) {
            statuses.add(status);
        }

        @Override
        public void streamStarted() {
            active.incrementAndGet();
        }

        @Override
        public void streamEnded(long b) {
            active.decrementAndGet();
            bytes.addAndGet(b);
        }
    }

    @TempDir
    Path dir;
    ImageRegistry registry;
    Counts counts;
    List<String> log;
    ImageResponder responder;

    @BeforeEach
    void images() throws Exception {
        SampleImages.generate(dir, 1 << 20);
        registry = new ImageRegistry();
        registry.register("host.initramfs", ImageFormat.INITRD, "", IGNITION, dir.resolve("base.initramfs"), false);
        registry.register("0123456789abcdef0123456789abcdef", ImageFormat.ISO, "", IGNITION, dir.resolve("base.iso"), true);
        counts = new Counts();
        log = new CopyOnWriteArrayList<>();
        responder = new ImageResponder(registry, new ServingState(), counts, Settings.AccessLogMode.ALL, log::add);
    }

    @AfterEach
    void close() {
        responder.close();
    }

    ImageResponse get(String name, String range) {
        return responder.respond("/" + name, name, range, null, null, null, true);
    }

    static byte[] body(ImageResponse r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (r.body() != null) {
            r.body().writeTo(out);
        }
        return out.toByteArray();
    }

    @Test
    void wholeImageRangesAndHead() throws Exception {
        byte[] base = Files.readAllBytes(dir.resolve("base.initramfs"));
        byte[] archive = IgnitionArchive.of(IGNITION);
        byte[] expected = Arrays.copyOf(base, base.length + archive.length);
        System.arraycopy(archive, 0, expected, base.length, archive.length);

        ImageResponse whole = get("host.initramfs", null);
        assertEquals(200, whole.status());
        assertEquals(Integer.toString(expected.length), whole.headers().get("Content-Length"));
        assertEquals("bytes", whole.headers().get("Accept-Ranges"));
        assertTrue(whole.headers().get("ETag").matches("\"[0-9a-f]{32}\""), whole.headers().toString());
        assertArrayEquals(expected, body(whole), "the base initramfs with the Ignition archive appended");

        ImageResponse head = responder.respond("/host.initramfs", "host.initramfs", null, null, null, null, false);
        assertEquals(200, head.status());
        assertEquals(whole.headers(), head.headers());
        assertNull(head.body(), "HEAD has no body");

        int from = base.length - 100;
        int to = base.length + 99; // across the end of the base file into the archive
        ImageResponse part = get("host.initramfs", "bytes=" + from + "-" + to);
        assertEquals(206, part.status());
        assertEquals("bytes " + from + "-" + to + "/" + expected.length, part.headers().get("Content-Range"));
        assertArrayEquals(Arrays.copyOfRange(expected, from, to + 1), body(part));
        assertArrayEquals(Arrays.copyOfRange(expected, expected.length - 50, expected.length), body(get("host.initramfs", "bytes=-50")));
    }

    @Test
    void severalRangesComeAsMultipart() throws Exception {
        byte[] whole = body(get("host.initramfs", null));
        int mid = whole.length / 2;
        ImageResponse r = get("host.initramfs", "bytes=0-9," + mid + "-" + (mid + 9));
        assertEquals(206, r.status());
        assertTrue(r.contentType().startsWith("multipart/byteranges; boundary="), r.contentType());
        String boundary = r.contentType().substring(r.contentType().indexOf('=') + 1);
        byte[] b = body(r);
        assertEquals(Integer.toString(b.length), r.headers().get("Content-Length"));
        String text = new String(b, StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("--" + boundary + "\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 0-9/"
                + whole.length + "\r\n\r\n" + new String(whole, 0, 10, StandardCharsets.ISO_8859_1)), text);
        assertTrue(text.contains("Content-Range: bytes " + mid + "-" + (mid + 9) + "/" + whole.length + "\r\n\r\n"
                + new String(whole, mid, 10, StandardCharsets.ISO_8859_1) + "\r\n--" + boundary + "--\r\n"), text);
    }

    @Test
    void conditionalAndUnsatisfiableRequests() throws Exception {
        ImageResponse whole = get("host.initramfs", null);
        body(whole);
        String etag = whole.headers().get("ETag");
        long size = Long.parseLong(whole.headers().get("Content-Length"));
        ImageResponse notModified = responder.respond("/host.initramfs", "host.initramfs", null, null, etag, null, true);
        assertEquals(304, notModified.status());
        assertEquals(etag, notModified.headers().get("ETag"));
        assertNull(notModified.body());
        ImageResponse failed = responder.respond("/host.initramfs", "host.initramfs", null, null, null, "\"other\"", true);
        assertEquals(412, failed.status());
        assertNull(failed.body());
        ImageResponse matching = responder.respond("/host.initramfs", "host.initramfs", null, null, null, etag, true);
        assertEquals(200, matching.status());
        body(matching);
        ImageResponse any = responder.respond("/host.initramfs", "host.initramfs", null, null, null, "*", true);
        assertEquals(200, any.status());
        body(any);
        ImageResponse unsatisfiable = get("host.initramfs", "bytes=" + size + "-");
        assertEquals(416, unsatisfiable.status());
        assertEquals("bytes */" + size, unsatisfiable.headers().get("Content-Range"));
        assertEquals(0, body(unsatisfiable).length);
        ImageResponse staleIfRange = responder.respond("/host.initramfs", "host.initramfs", "bytes=0-9", "\"old\"", null, null, true);
        assertEquals(200, staleIfRange.status(), "If-Range of another version: the whole image");
        body(staleIfRange);
        assertEquals(List.of(200, 304, 412, 200, 200, 416, 200), counts.statuses);
    }

    @Test
    void unknownNamesAndPathsAre404() {
        ImageResponse r = get("nothing.iso", null);
        assertEquals(404, r.status());
        assertEquals("no such image\n", r.text());
        assertEquals(404, responder.respond("/x/host.initramfs", "host.initramfs", null, null, null, null, true).status());
        assertEquals(404, responder.respond("/host.initramfs;v=1", "host.initramfs", null, null, null, null, true).status());
    }

    @Test
    void aBaseFileReplacedMidResponseGivesTheWholeOldImageThenTheNewOne() throws Exception {
        String name = "0123456789abcdef0123456789abcdef";
        ImageResponse first = get(name, null);
        byte[] before = body(first);
        Path other = Files.createDirectories(dir.resolve("other"));
        SampleImages.generate(other, 1 << 19);
        ImageResponse r = get(name, null);
        ByteArrayOutputStream collected = new ByteArrayOutputStream();
        r.body().writeTo(new OutputStream() {
            boolean replaced;

            @Override
            public void write(int b) {
                collected.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                collected.write(b, off, len);
                if (!replaced && collected.size() > 64 * 1024) {
                    replaced = true;
                    Files.move(other.resolve("base.iso"), dir.resolve("base.iso"), StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
                }
            }
        });
        assertArrayEquals(before, collected.toByteArray(), "a download keeps the bytes it started with");
        ImageResponse after = get(name, null);
        assertNotEquals(first.headers().get("ETag"), after.headers().get("ETag"), "a new base: a new ETag");
        assertNotEquals(before.length, body(after).length);
    }

    @Test
    void aBaseFileRemovedMidResponseEndsThatResponseWholeThenAnswers503() throws Exception {
        String name = "0123456789abcdef0123456789abcdef";
        byte[] before = body(get(name, null));
        ImageResponse r = get(name, null);
        ByteArrayOutputStream collected = new ByteArrayOutputStream();
        r.body().writeTo(new OutputStream() {
            @Override
            public void write(int b) {
                collected.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                collected.write(b, off, len);
                Files.deleteIfExists(dir.resolve("base.iso"));
            }
        });
        assertArrayEquals(before, collected.toByteArray());
        ImageResponse gone = get(name, null);
        assertEquals(503, gone.status());
        assertEquals("image unavailable: base image problem\n", gone.text());
    }

    @Test
    void aClientThatStopsReadingEndsItsStreamAndFreesIt() throws Exception {
        String name = "0123456789abcdef0123456789abcdef";
        ImageResponse r = get(name, null);
        long limit = 100_000;
        IOException e = assertThrows(IOException.class, () -> r.body().writeTo(new OutputStream() {
            long n;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (n + len > limit) {
                    throw new IOException("Broken pipe");
                }
                n += len;
            }
        }));
        assertEquals("Broken pipe", e.getMessage());
        assertEquals(0, counts.active.get(), "the stream is counted as ended");
        assertTrue(counts.bytes.get() <= limit && counts.bytes.get() > 0, "bytes counted: only what the client took: " + counts.bytes.get());
        long taken = counts.bytes.get();
        ImageResponse next = get(name, "bytes=0-9");
        assertEquals(206, next.status());
        assertEquals(10, body(next).length, "the next response is served");
        long end = System.nanoTime() + 5_000_000_000L;
        while (log.stream().noneMatch(l -> l.startsWith("GET 01234567... range=- status=200 bytes=")) && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertTrue(log.stream().anyMatch(l -> l.startsWith("GET 01234567... range=- status=200 bytes=" + taken + " ")), log.toString());
    }

    @Test
    void secretNamesAreLoggedShortened() throws Exception {
        body(get("0123456789abcdef0123456789abcdef", "bytes=0-9"));
        get("feedfacefeedface", null);
        long end = System.nanoTime() + 5_000_000_000L;
        while (log.size() < 2 && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertTrue(log.stream().anyMatch(l -> l.startsWith("GET 01234567... range=bytes=0-9 status=206")), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.startsWith("GET feedface... range=- status=404")), log.toString());
        assertTrue(log.stream().noneMatch(l -> l.contains("0123456789abcdef")), log.toString());
    }

    @Test
    void beyondTheCapDownloadsAre503WithRetryAfterAndSlotsComeBack() throws Exception {
        ImageResponder capped = new ImageResponder(registry, new ServingState(), counts, Settings.AccessLogMode.OFF, l -> { }, 2);
        try {
            ImageResponse a = capped.respond("/host.initramfs", "host.initramfs", null, null, null, null, true);
            ImageResponse b = capped.respond("/host.initramfs", "host.initramfs", null, null, null, null, true);
            ImageResponse c = capped.respond("/host.initramfs", "host.initramfs", null, null, null, null, true);
            assertEquals(200, a.status());
            assertEquals(200, b.status());
            assertEquals(503, c.status(), "two responses are being written: the third waits");
            assertEquals("5", c.headers().get("Retry-After"));
            assertEquals(1, counts.throttled.get());
            ImageResponse head = capped.respond("/host.initramfs", "host.initramfs", null, null, null, null, false);
            assertEquals(200, head.status(), "HEAD writes no body: not capped");
            body(a);
            ImageResponse d = capped.respond("/host.initramfs", "host.initramfs", null, null, null, null, true);
            assertEquals(200, d.status(), "a finished response gives its slot back");
            body(b);
            body(d);
            IOException broken = assertThrows(IOException.class, () -> capped.respond("/host.initramfs", "host.initramfs",
                    null, null, null, null, true).body().writeTo(new OutputStream() {
                        @Override
                        public void write(int x) throws IOException {
                            throw new IOException("reset");
                        }

                        @Override
                        public void write(byte[] x, int off, int len) throws IOException {
                            throw new IOException("reset");
                        }
                    }));
            assertEquals("reset", broken.getMessage());
            assertEquals(200, capped.respond("/host.initramfs", "host.initramfs", null, null, null, null, true).status());
            assertEquals(200, capped.respond("/host.initramfs", "host.initramfs", null, null, null, null, true).status(),
                    "a failed response gave its slot back too");
        } finally {
            capped.close();
        }
    }
}
