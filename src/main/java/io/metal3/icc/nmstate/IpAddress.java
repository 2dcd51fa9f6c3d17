package io.metal3.icc.nmstate;

import java.util.Arrays;

/**
 * An IPv4 or IPv6 address, parsed as strictly as Rust's {@code IpAddr::from_str} (which is what
 * nmstate accepts: no spaces, brackets, scopes or octal-looking octets) and printed as Rust prints
 * it (RFC 5952; IPv4-mapped addresses keep their dotted tail).
 */
record IpAddress(byte[] bytes) {

    static IpAddress parse(String s) {
        if (s == null) {
            return null;
        }
        byte[] v4 = v4(s);
        if (v4 != null) {
            return new IpAddress(v4);
        }
        byte[] v6 = v6(s);
        return v6 == null ? null : new IpAddress(v6);
    }

    /** A dotted quad, or null. */
    static IpAddress parseV4(String s) {
        byte[] b = s == null ? null : v4(s);
        return b == null ? null : new IpAddress(b);
    }

    /** An IPv6 literal (no brackets, no scope), or null. */
    static IpAddress parseV6(String s) {
        byte[] b = s == null ? null : v6(s);
        return b == null ? null : new IpAddress(b);
    }

    private static byte[] v4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
                return null;
            }
            int v = 0;
            for (char c : p.toCharArray()) {
                if (c < '0' || c > '9') {
                    return null;
                }
                v = v * 10 + (c - '0');
            }
            if (v > 255) {
                return null;
            }
            b[i] = (byte) v;
        }
        return b;
    }

    private static byte[] v6(String s) {
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        int[] head = new int[8];
        int[] tail = new int[8];
        int headLen;
        int tailLen = 0;
        if (gap < 0) {
            headLen = groups(s, head, 8);
            if (headLen != 8) {
                return null;
            }
        } else {
            headLen = gap == 0 ? 0 : groups(s.substring(0, gap), head, 7);
            if (headLen < 0) {
                return null;
            }
            String rest = s.substring(gap + 2);
            tailLen = rest.isEmpty() ? 0 : groups(rest, tail, 7 - headLen);
            if (tailLen < 0) {
                return null;
            }
        }
        int[] g = new int[8];
        System.arraycopy(head, 0, g, 0, headLen);
        System.arraycopy(tail, 0, g, 8 - tailLen, tailLen);
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[2 * i] = (byte) (g[i] >> 8);
            b[2 * i + 1] = (byte) g[i];
        }
        return b;
    }

    /** Colon-separated groups (the last may be a dotted quad, worth two); their count, or -1. */
    private static int groups(String s, int[] out, int limit) {
        String[] parts = s.split(":", -1);
        int n = 0;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (i == parts.length - 1 && p.indexOf('.') >= 0) {
                byte[] q = v4(p);
                if (q == null || n + 2 > limit) {
                    return -1;
                }
                out[n++] = ((q[0] & 0xff) << 8) | (q[1] & 0xff);
                out[n++] = ((q[2] & 0xff) << 8) | (q[3] & 0xff);
                continue;
            }
            if (p.isEmpty() || p.length() > 4 || n + 1 > limit) {
                return -1;
            }
            int v = 0;
            for (char c : p.toCharArray()) {
                int d = Character.digit(c, 16);
                if (d < 0 || c > 0x7f) {
                    return -1;
                }
                v = v * 16 + d;
            }
            out[n++] = v;
        }
        return n;
    }

    boolean v6() {
        return bytes.length == 16;
    }

    /** fe80::/10 */
    boolean linkLocal() {
        return v6() && (bytes[0] & 0xff) == 0xfe && (bytes[1] & 0xc0) == 0x80;
    }

    int maxPrefix() {
        return v6() ? 128 : 32;
    }

    /** The network address: host bits cleared. */
    IpAddress network(int prefix) {
        byte[] b = bytes.clone();
        for (int bit = prefix; bit < b.length * 8; bit++) {
            b[bit / 8] &= (byte) ~(0x80 >> (bit % 8));
        }
        return new IpAddress(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddress other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        if (!v6()) {
            return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
        }
        return compress(bytes);
    }

    /** RFC 5952: lower case, leading zeros dropped, the longest run (>= 2) of zero groups as "::". */
    static String compress(byte[] b) {
        boolean mapped = true;
        for (int i = 0; i < 10; i++) {
            mapped &= b[i] == 0;
        }
        if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            // IPv4-mapped keeps its dotted tail, as Rust (and so nmstate) prints it.
            return "::ffff:" + (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestStart = -1;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
