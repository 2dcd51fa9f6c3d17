package io.metal3.icc.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Decides status, headers and body parts for GET/HEAD of an image of known size and ETag. */
public final class ServePlanner {

    public static final String OCTET_STREAM = "application/octet-stream";

    private ServePlanner() {
    }

    public static ServePlan plan(long size, String etag, String range, String ifRange, String ifNoneMatch) {
        return plan(size, etag, range, ifRange, ifNoneMatch, null);
    }

    /** The conditions in RFC 9110 §13.2.2's order: If-Match, If-None-Match, then If-Range and Range. */
    public static ServePlan plan(long size, String etag, String range, String ifRange, String ifNoneMatch, String ifMatch) {
        if (EntityTags.ifMatchFails(ifMatch, etag)) {
            return new ServePlan(412, 0, null, null, List.of());
        }
        if (EntityTags.ifNoneMatchMatches(ifNoneMatch, etag)) {
            return new ServePlan(304, -1, null, null, List.of());
        }
        RangeSelection selection = EntityTags.ifRangeAllowsRange(ifRange, etag)
                ? RangeHeader.select(range, size)
                : new RangeSelection.Whole();
        if (selection instanceof RangeSelection.Unsatisfiable) {
            return new ServePlan(416, 0, null, "bytes */" + size, List.of());
        }
        if (selection instanceof RangeSelection.Partial p) {
            List<ByteRange> ranges = p.ranges();
            if (ranges.size() == 1) {
                ByteRange r = ranges.get(0);
                return new ServePlan(206, r.length(), OCTET_STREAM, r.contentRange(size),
                        List.of(new ServePlan.Slice(r.first(), r.length())));
            }
            return multipart(ranges, size);
        }
        return new ServePlan(200, size, OCTET_STREAM, null, List.of(new ServePlan.Slice(0, size)));
    }

    private static ServePlan multipart(List<ByteRange> ranges, long size) {
        String boundary = Long.toHexString(ThreadLocalRandom.current().nextLong())
                + Long.toHexString(ThreadLocalRandom.current().nextLong());
        List<ServePlan.Part> parts = new ArrayList<>(ranges.size() * 2 + 1);
        long length = 0;
        for (int i = 0; i < ranges.size(); i++) {
            ByteRange r = ranges.get(i);
            String head = (i == 0 ? "" : "\r\n") + "--" + boundary + "\r\n"
                    + "Content-Type: " + OCTET_STREAM + "\r\n"
                    + "Content-Range: " + r.contentRange(size) + "\r\n\r\n";
            ServePlan.Literal literal = new ServePlan.Literal(head.getBytes(StandardCharsets.US_ASCII));
            parts.add(literal);
            parts.add(new ServePlan.Slice(r.first(), r.length()));
            length += literal.length() + r.length();
        }
        ServePlan.Literal end = new ServePlan.Literal(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        parts.add(end);
        length += end.length();
        return new ServePlan(206, length, "multipart/byteranges; boundary=" + boundary, null, parts);
    }
}
