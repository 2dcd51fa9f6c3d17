package io.metal3.icc.http;

/** {@code If-Match}, {@code If-None-Match} and {@code If-Range} evaluation (RFC 9110 §13.1) against a strong ETag. */
public final class EntityTags {

    private EntityTags() {
    }

    /**
     * True when {@code If-Match} is given and fails (strong comparison; {@code *} matches any current
     * image): answer 412, as the client holds another version.
     */
    public static boolean ifMatchFails(String header, String etag) {
        if (header == null || header.isBlank() || header.strip().equals("*")) {
            return false;
        }
        for (String tag : header.split(",")) {
            if (tag.strip().equals(etag)) {
                return false;
            }
        }
        return true;
    }

    /** True when {@code If-None-Match} matches (weak comparison): answer 304 to GET/HEAD. */
    public static boolean ifNoneMatchMatches(String header, String etag) {
        if (header == null || header.isBlank()) {
            return false;
        }
        if (header.strip().equals("*")) {
            return true;
        }
        String opaque = opaque(etag);
        for (String tag : header.split(",")) {
            if (opaque(tag.strip()).equals(opaque)) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when the Range header may be honoured: no If-Range, or an If-Range that is the current
     * strong ETag. A date never matches, as no Last-Modified is sent.
     */
    public static boolean ifRangeAllowsRange(String header, String etag) {
        if (header == null) {
            return true;
        }
        String h = header.strip();
        return h.startsWith("\"") && h.equals(etag);
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
