package io.metal3.icc.nmstate;

/**
 * NMState input that cannot be converted. {@code kind} follows nmstate's error kinds
 * ({@code InvalidArgument}, {@code NotImplementedError}) plus {@code Unsupported} for valid input
 * outside the subset converted here (use NMSTATECTL for those).
 */
public class NmstateException extends Exception {

    public static final String INVALID_ARGUMENT = "InvalidArgument";
    public static final String NOT_IMPLEMENTED = "NotImplementedError";
    public static final String UNSUPPORTED = "Unsupported";

    private final String kind;

    public NmstateException(String kind, String message) {
        super(kind + ": " + message);
        this.kind = kind;
    }

    public String kind() {
        return kind;
    }

    static NmstateException invalid(String message) {
        return new NmstateException(INVALID_ARGUMENT, message);
    }

    static NmstateException unsupported(String what, String iface) {
        return new NmstateException(UNSUPPORTED, "unsupported: " + what + (iface == null ? "" : " on " + iface)
                + " (outside the built-in converter; set NMSTATECTL to use nmstatectl)");
    }
}
