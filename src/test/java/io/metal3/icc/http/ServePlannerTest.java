package io.metal3.icc.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class ServePlannerTest {

    static final String ETAG = "\"abc\"";

    @Test
    void wholeImage() {
        ServePlan p = ServePlanner.plan(1000, ETAG, null, null, null);
        assertEquals(200, p.status());
        assertEquals(1000, p.contentLength());
        assertEquals("application/octet-stream", p.contentType());
        assertNull(p.contentRange());
        assertEquals(List.of(new ServePlan.Slice(0, 1000)), p.body());
    }

    @Test
    void singleRange() {
        ServePlan p = ServePlanner.plan(1000, ETAG, "bytes=10-19", null, null);
        assertEquals(206, p.status());
        assertEquals(10, p.contentLength());
        assertEquals("bytes 10-19/1000", p.contentRange());
        assertEquals(List.of(new ServePlan.Slice(10, 10)), p.body());
    }

    @Test
    void unsatisfiable() {
        ServePlan p = ServePlanner.plan(1000, ETAG, "bytes=1000-", null, null);
        assertEquals(416, p.status());
        assertEquals("bytes */1000", p.contentRange());
        assertTrue(p.body().isEmpty());
    }

    @Test
    void multipartFramingAndLength() {
        ServePlan p = ServePlanner.plan(1000, ETAG, "bytes=0-1,10-12", null, null);
        assertEquals(206, p.status());
        assertTrue(p.contentType().startsWith("multipart/byteranges; boundary="));
        String boundary = p.contentType().substring(p.contentType().indexOf('=') + 1);
        assertEquals(5, p.body().size());
        String first = literal(p.body().get(0));
        assertEquals("--" + boundary + "\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 0-1/1000\r\n\r\n", first);
        assertEquals(new ServePlan.Slice(0, 2), p.body().get(1));
        assertTrue(literal(p.body().get(2)).startsWith("\r\n--" + boundary + "\r\n"));
        assertEquals(new ServePlan.Slice(10, 3), p.body().get(3));
        assertEquals("\r\n--" + boundary + "--\r\n", literal(p.body().get(4)));
        assertEquals(p.body().stream().mapToLong(ServePlan.Part::length).sum(), p.contentLength());
    }

    @Test
    void ifMatchComesFirst() {
        assertEquals(412, ServePlanner.plan(1000, ETAG, "bytes=0-1", null, ETAG, "\"other\"").status());
        assertEquals(412, ServePlanner.plan(1000, ETAG, null, null, null, "W/" + ETAG).status(), "strong comparison");
        assertEquals(206, ServePlanner.plan(1000, ETAG, "bytes=0-1", null, null, "\"x\", " + ETAG).status());
        assertEquals(200, ServePlanner.plan(1000, ETAG, null, null, null, "*").status());
        assertEquals(304, ServePlanner.plan(1000, ETAG, null, null, ETAG, ETAG).status());
    }

    @Test
    void ifNoneMatch() {
        assertEquals(304, ServePlanner.plan(1000, ETAG, null, null, ETAG).status());
        assertEquals(304, ServePlanner.plan(1000, ETAG, null, null, "\"x\", W/\"abc\"").status());
        assertEquals(304, ServePlanner.plan(1000, ETAG, "bytes=0-1", null, "*").status());
        assertEquals(200, ServePlanner.plan(1000, ETAG, null, null, "\"other\"").status());
    }

    @Test
    void ifRange() {
        assertEquals(206, ServePlanner.plan(1000, ETAG, "bytes=0-1", ETAG, null).status());
        assertEquals(200, ServePlanner.plan(1000, ETAG, "bytes=0-1", "\"stale\"", null).status(), "stale tag: whole image");
        assertEquals(200, ServePlanner.plan(1000, ETAG, "bytes=0-1", "W/\"abc\"", null).status(), "weak never matches");
        assertEquals(200, ServePlanner.plan(1000, ETAG, "bytes=0-1", "Tue, 24 Nov 2026 10:00:00 GMT", null).status());
    }

    @Test
    void entityTags() {
        assertFalse(EntityTags.ifNoneMatchMatches(null, ETAG));
        assertFalse(EntityTags.ifNoneMatchMatches("  ", ETAG));
        assertTrue(EntityTags.ifRangeAllowsRange(null, ETAG));
    }

    private static String literal(ServePlan.Part part) {
        return new String(((ServePlan.Literal) part).bytes(), StandardCharsets.US_ASCII);
    }
}
