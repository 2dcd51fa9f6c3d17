package io.metal3.icc.nmstate;

/** Strings that end up in keyfiles, file names and the Ignition: no control characters. */
final class Text {

    private Text() {
    }

    /**
     * @return {@code value}, when it holds no control character (a newline would start a new keyfile
     *         line: another key, or another section)
     */
    static String checked(String value, String what) throws NmstateException {
        return checked(value, what, false);
    }

    /** As {@link #checked(String, String)}, letting tabs through (descriptions may hold them). */
    static String checked(String value, String what, boolean tabs) throws NmstateException {
        if (value == null) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (tabs && c == '\t') {
                continue;
            }
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == (char) 0x2028 || c == (char) 0x2029) {
                throw NmstateException.invalid("Invalid " + what + " " + quoted(value)
                        + ": control character U+" + String.format("%04X", (int) c) + " at position " + i
                        + " is not allowed");
            }
        }
        return value;
    }

    /**
     * An interface or profile name: it becomes a keyfile name under
     * /etc/NetworkManager/system-connections, so no path separators or dot names either.
     */
    static String name(String value, String what) throws NmstateException {
        checked(value, what);
        if (value != null && (value.isEmpty() || value.contains("/") || value.equals(".") || value.equals(".."))) {
            throw NmstateException.invalid("Invalid " + what + " " + quoted(value)
                    + ": it names a keyfile, so it must not be empty, contain '/' or be '.' or '..'");
        }
        return value;
    }

    /** For messages: control characters escaped, long values cut. */
    static String quoted(String value) {
        StringBuilder sb = new StringBuilder("'");
        for (int i = 0; i < value.length() && i < 80; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append(value.length() > 80 ? "...'" : "'").toString();
    }

    /** Appends {@code key: value} when the value is set, as nmstate's Display of routes and rules does. */
    static void field(java.util.List<String> parts, String key, Object value) {
        if (value != null) {
            parts.add(key + ": " + value);
        }
    }
}
