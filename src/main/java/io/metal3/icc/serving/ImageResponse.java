package io.metal3.icc.serving;

import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An answer to an image request, independent of the HTTP framework: status, headers in order, and
 * either a short text or a body streamed later (the image bytes).
 */
public record ImageResponse(int status, Map<String, String> headers, String contentType, String text, Body body) {

    /** Writes the response body; runs once, on the request thread, after the headers are sent. */
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    public ImageResponse {
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    static ImageResponse text(int status, String message) {
        return new ImageResponse(status, Map.of(), "text/plain", message, null);
    }
}
