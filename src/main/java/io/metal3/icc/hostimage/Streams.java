package io.metal3.icc.hostimage;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * CoreOS streams (the label {@code coreos.openshift.io/stream} of a PreprovisioningImage) select
 * stream-specific base images (files {@code <base>-<stream>[_<arch>]<ext>}) and rootfs URL.
 */
public final class Streams {

    private Streams() {
    }

    /** Streams become parts of file names and URLs: a label value that is more than a name is refused. */
    public static boolean valid(String stream) {
        return stream.isEmpty() || (stream.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}") && !stream.contains(".."));
    }

    /**
     * upstream's streamArchSpecificURL: {@code …/ironic-python-agent.rootfs} becomes
     * {@code …/ironic-python-agent-<stream>_<arch>.rootfs}, the stream part only for a stream, the
     * architecture part only for another architecture than the host's. An unparsable URL is returned as is.
     */
    public static String rootfsUrl(String base, String stream, String arch, String hostArch) {
        URI u;
        try {
            u = new URI(base);
        } catch (URISyntaxException e) {
            return base;
        }
        if (u.getScheme() == null || u.getRawPath() == null) {
            return base;
        }
        String a = arch == null || arch.isEmpty() ? hostArch : arch;
        String path = u.getRawPath();
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        String ext = dot > slash ? path.substring(dot) : "";
        String stem = path.substring(0, path.length() - ext.length());
        if (!stream.isEmpty()) {
            stem = stem + "-" + stream;
        }
        if (!a.equals(hostArch)) {
            stem = stem + "_" + a;
        }
        // Rebuilt from the raw parts: already-encoded characters stay as they are.
        return u.getScheme() + ":" + (u.getRawAuthority() == null ? "" : "//" + u.getRawAuthority()) + stem + ext
                + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery())
                + (u.getRawFragment() == null ? "" : "#" + u.getRawFragment());
    }
}
