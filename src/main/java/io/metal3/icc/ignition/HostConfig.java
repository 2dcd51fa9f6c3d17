package io.metal3.icc.ignition;

import java.util.List;

import io.metal3.icc.nmstate.NetworkKeyfile;

/**
 * Per-host inputs.
 *
 * @param hostname      PPI name (controller) or file name without extension (static mode); may be empty
 * @param nmstateGiven  whether the host came with non-empty NMState data (drives the VLAN auto mode)
 * @param keyfiles      the NetworkManager keyfiles converted from that data, in order
 */
public record HostConfig(String hostname, boolean nmstateGiven, List<NetworkKeyfile> keyfiles) {
    public HostConfig {
        hostname = hostname == null ? "" : hostname;
        keyfiles = List.copyOf(keyfiles);
    }

    public static HostConfig withoutNetwork(String hostname) {
        return new HostConfig(hostname, false, List.of());
    }
}
