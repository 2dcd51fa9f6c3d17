package io.metal3.icc.ignition;

/**
 * Values placed inside double quotes in unit files. Upstream inserted them raw, so a '%' was read
 * as a systemd specifier, a '"' ended the string and a '$' in ExecStart was expanded.
 */
public final class SystemdQuoting {

    private SystemdQuoting() {
    }

    /** For {@code Environment="NAME=value"}: specifiers and C escapes. */
    public static String environmentValue(String setting, String value) throws IgnitionBuildException {
        return escape(setting, value, false);
    }

    /** For a quoted {@code ExecStart=} argument: also '$', which ExecStart expands. */
    public static String execArgument(String setting, String value) throws IgnitionBuildException {
        return escape(setting, value, true);
    }

    private static String escape(String setting, String value, boolean exec) throws IgnitionBuildException {
        StringBuilder sb = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '%' -> sb.append("%%");
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '$' -> sb.append(exec ? "$$" : "$");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        throw new IgnitionBuildException(setting + " contains a control character (newline or"
                                + " similar) at position " + i + ": remove it");
                    }
                    sb.append(c);
                }
            }
        }
        return sb.toString();
    }
}
