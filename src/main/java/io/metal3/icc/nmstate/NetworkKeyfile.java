package io.metal3.icc.nmstate;

/** One NetworkManager keyfile: its file name (e.g. {@code eth0.nmconnection}) and content. */
public record NetworkKeyfile(String fileName, String content) {
}
