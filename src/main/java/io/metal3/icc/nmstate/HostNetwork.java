package io.metal3.icc.nmstate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns a host's NMState data into keyfiles: the built-in converter by default, nmstatectl when
 * configured. Empty data means no network configuration (CoreOS' DHCP defaults).
 */
public final class HostNetwork {

    private final Nmstatectl nmstatectl;

    /** @param nmstatectl null for the built-in converter */
    public HostNetwork(Nmstatectl nmstatectl) {
        this.nmstatectl = nmstatectl;
    }

    public static boolean given(byte[] nmstate) {
        return nmstate != null && !new String(nmstate, StandardCharsets.UTF_8).isBlank();
    }

    /**
     * @throws NmstateException the data is invalid (as nmstate judges it) or configures no interface
     * @throws IOException      nmstatectl could not be run
     */
    public List<NetworkKeyfile> keyfiles(byte[] nmstate) throws NmstateException, IOException {
        if (!given(nmstate)) {
            return List.of();
        }
        List<NetworkKeyfile> files = nmstatectl != null ? nmstatectl.convert(nmstate) : NmstateConverter.convert(nmstate);
        if (files.isEmpty()) {
            // Upstream served a plain DHCP image here (or said "no network configuration" for
            // nmstate's "--- {}"): the user gave network data, so say it configures nothing.
            throw NmstateException.invalid("no network configuration: the NMState data configures no interface");
        }
        return files;
    }
}
