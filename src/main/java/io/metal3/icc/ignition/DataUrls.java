package io.metal3.icc.ignition;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** RFC 2397 data URLs as upstream writes them (percent-encoding of all but RFC 2396 unreserved). */
public final class DataUrls {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private DataUrls() {
    }

    public static String text(String content) {
        return text(content.getBytes(StandardCharsets.UTF_8));
    }

    public static String text(byte[] content) {
        StringBuilder sb = new StringBuilder("data:text/plain,".length() + content.length * 2);
        sb.append("data:text/plain,");
        for (byte b : content) {
            int c = b & 0xff;
            if (unreserved(c)) {
                sb.append((char) c);
            } else {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return sb.toString();
    }

    /** {@code data:;base64,<value>} for a value that is already base64 (the pull secret). */
    public static String base64(String alreadyEncoded) {
        return "data:;base64," + alreadyEncoded;
    }

    /** Decodes a data URL written by this class (used by the self-check and by tests). */
    public static byte[] decode(String url) {
        if (!url.startsWith("data:")) {
            throw new IllegalArgumentException("not a data URL");
        }
        int comma = url.indexOf(',');
        if (comma < 0) {
            throw new IllegalArgumentException("data URL without ','");
        }
        String meta = url.substring(5, comma);
        String data = url.substring(comma + 1);
        if (meta.endsWith(";base64")) {
            return Base64.getDecoder().decode(data);
        }
        byte[] out = new byte[data.length()];
        int n = 0;
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            if (c == '%') {
                if (i + 2 >= data.length()) {
                    throw new IllegalArgumentException("truncated %-escape");
                }
                out[n++] = (byte) Integer.parseInt(data.substring(i + 1, i + 3), 16);
                i += 2;
            } else {
                out[n++] = (byte) c;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static boolean unreserved(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || "-_.!~*'()".indexOf(c) >= 0;
    }
}
