package io.metal3.icc.nmstate;

import java.util.ArrayList;
import java.util.List;

/** An interface's {@code mptcp.address-flags} and their [connection] mptcp-flags value. */
final class Mptcp {

    static final List<String> FLAGS = List.of("signal", "subflow", "backup", "fullmesh");

    private Mptcp() {
    }

    /** null without an mptcp section; an empty list for {@code address-flags: []}; null flags when not given. */
    static List<String> parse(Object raw, Fields.Errors errors) throws NmstateException {
        Fields f = Fields.of(raw, "MptcpConfig", errors);
        Object flags = f.raw("address-flags");
        f.done();
        if (flags == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (Object o : Fields.list(flags, errors)) {
            out.add(Fields.variant(o, FLAGS, errors));
        }
        return out;
    }

    static void validate(List<String> flags) throws NmstateException {
        if (flags != null && flags.contains("signal") && flags.contains("fullmesh")) {
            throw NmstateException.invalid("MPTCP flags mustn't have both signal and fullmesh");
        }
    }

    /**
     * nmstate sets non-empty flags only where the kernel of the machine that runs it has MPTCP
     * enabled ({@code net.mptcp.enabled}); it refuses them otherwise.
     */
    static Long nmFlags(List<String> flags) throws NmstateException {
        if (flags == null) {
            return null;
        }
        if (flags.isEmpty()) {
            return 0x01L;
        }
        if (!enabledHere()) {
            throw new NmstateException(NmstateException.NOT_SUPPORTED, "NetworkManager cannot enable MPTCP via sysctl"
                    + " yet, please use sysctl to set net.mptcp.enabled as 1 or other tools before applying MPTCP flags");
        }
        long v = 0;
        for (String f : flags) {
            v |= switch (f) {
                case "signal" -> 0x10;
                case "subflow" -> 0x20;
                case "backup" -> 0x40;
                default -> 0x80;
            };
        }
        return v == 0 ? 0 : v | 0x08;
    }

    private static boolean enabledHere() {
        try {
            byte[] b = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/sys/net/mptcp/enabled"));
            return b.length > 0 && b[0] == '1';
        } catch (java.io.IOException | SecurityException e) {
            return false;
        }
    }
}
