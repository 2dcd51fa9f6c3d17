package io.metal3.icc.nmstate;

/**
 * NMState input that cannot be converted. {@code kind} is nmstate's error kind
 * ({@code InvalidArgument}, {@code NotImplementedError}, {@code NotSupportedError}, {@code Bug}).
 * Messages carry nmstate's meaning and name the field; they never quote secrets (802.1X
 * passwords, MACsec keys, IPsec pre-shared keys).
 */
public class NmstateException extends Exception {

    public static final String INVALID_ARGUMENT = "InvalidArgument";
    public static final String NOT_IMPLEMENTED = "NotImplementedError";
    public static final String NOT_SUPPORTED = "NotSupportedError";
    public static final String BUG = "Bug";

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
}
