package io.metal3.icc.nmstate;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** A literal IPv4/IPv6 address (never resolved through DNS), printed the way nmstate prints it. */
record IpAddress(InetAddress address) {

    private static final Pattern V4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern V6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    static IpAddress parse(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        try {
            if (V4.matcher(t).matches()) {
                for (String part : t.split("\\.")) {
                    if (Integer.parseInt(part) > 255 || (part.length() > 1 && part.startsWith("0"))) {
                        return null;
                    }
                }
                return new IpAddress(InetAddress.getByName(t));
            }
            if (t.contains(":") && V6_CHARS.matcher(t).matches()) {
                InetAddress a = InetAddress.getByName(t); // a literal: no lookup
                if (a instanceof Inet4Address) {
                    // Java reads ::ffff:a.b.c.d as IPv4; it is an IPv6 address (IPv4-mapped).
                    byte[] b = new byte[16];
                    b[10] = (byte) 0xff;
                    b[11] = (byte) 0xff;
                    System.arraycopy(a.getAddress(), 0, b, 12, 4);
                    a = Inet6Address.getByAddress(null, b, null);
                }
                return new IpAddress(a);
            }
        } catch (UnknownHostException | NumberFormatException e) {
            return null;
        }
        return null;
    }

    /** A dotted quad, or null. */
    static IpAddress parseV4(String s) {
        IpAddress a = s == null || s.contains(":") ? null : parse(s);
        return a != null && !a.v6() && s.equals(s.strip()) ? a : null;
    }

    /** An IPv6 literal (no brackets, no scope), or null. */
    static IpAddress parseV6(String s) {
        IpAddress a = s == null || !s.contains(":") ? null : parse(s);
        return a != null && a.v6() && s.equals(s.strip()) ? a : null;
    }

    /** fe80::/10 */
    boolean linkLocal() {
        byte[] b = address.getAddress();
        return v6() && (b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0x80;
    }

    boolean v6() {
        return address instanceof Inet6Address;
    }

    int maxPrefix() {
        return v6() ? 128 : 32;
    }

    @Override
    public String toString() {
        return address instanceof Inet4Address ? address.getHostAddress() : compress(address.getAddress());
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
