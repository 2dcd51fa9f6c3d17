package io.metal3.icc.http;

import java.util.List;

/**
 * The response to an image request, decided before any byte is read: status, headers and the body
 * as parts (literal multipart framing, or slices of the image).
 */
public record ServePlan(int status, long contentLength, String contentType, String contentRange, List<Part> body) {

    public ServePlan {
        body = List.copyOf(body);
    }

    public sealed interface Part {
        long length();
    }

    /** Bytes written as they are (multipart boundaries and part headers). */
    public record Literal(byte[] bytes) implements Part {
        @Override
        public long length() {
            return bytes.length;
        }
    }

    /** Image bytes {@code [from, from + length)}. */
    public record Slice(long from, long length) implements Part {
    }
}
