package io.metal3.icc.hostimage;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import io.metal3.icc.ignition.HostConfig;
import io.metal3.icc.ignition.IgnitionBuildException;
import io.metal3.icc.ignition.IgnitionBuilder;
import io.metal3.icc.ignition.IgnitionSettings;
import io.metal3.icc.image.EmbedAreaTooSmallException;
import io.metal3.icc.image.ImageFormat;
import io.metal3.icc.image.InvalidBaseImageException;
import io.metal3.icc.nmstate.HostNetwork;
import io.metal3.icc.nmstate.NetworkKeyfile;
import io.metal3.icc.nmstate.NmstateException;
import io.metal3.icc.registry.ImageRegistry;

/**
 * The one way a host's image is made, in both modes: its NMState becomes keyfiles, the keyfiles and
 * the settings an Ignition, and the Ignition over a base file a registered image at a published URL.
 * How images are named and which base file is used stay with the caller.
 */
public final class HostImages {

    private final IgnitionSettings settings;
    private final HostNetwork network;
    private final ImageRegistry registry;
    private final URI publishAddr;

    public HostImages(IgnitionSettings settings, HostNetwork network, ImageRegistry registry, URI publishAddr) {
        this.settings = settings;
        this.network = network;
        this.registry = registry;
        this.publishAddr = publishAddr;
    }

    /** The Ignition of host {@code hostname} with network data {@code nmstate} (null or blank: none). */
    public byte[] ignition(String hostname, byte[] nmstate) throws HostImageException {
        List<NetworkKeyfile> keyfiles;
        try {
            keyfiles = network.keyfiles(nmstate);
        } catch (NmstateException | IOException e) {
            throw new HostImageException(HostImageException.Stage.NETWORK, e.getMessage(), e);
        }
        try {
            return IgnitionBuilder.build(settings, new HostConfig(hostname, HostNetwork.given(nmstate), keyfiles));
        } catch (IgnitionBuildException | IOException e) {
            throw new HostImageException(HostImageException.Stage.IGNITION, e.getMessage(), e);
        }
    }

    /**
     * Registers (or replaces) image {@code name}; its layout is computed now, so a bad base file or
     * an Ignition too large for the embed area fails here, not when a host boots.
     *
     * @param secretName whether the name is a capability, logged shortened
     * @return the image's published URL
     */
    public URI register(String name, ImageFormat format, String architecture, byte[] ignition, Path base,
                        boolean secretName) throws HostImageException {
        try {
            registry.register(name, format, architecture, ignition, base, secretName);
        } catch (InvalidBaseImageException e) {
            throw new HostImageException(HostImageException.Stage.BASE_IMAGE, e.getMessage(), e);
        } catch (EmbedAreaTooSmallException e) {
            throw new HostImageException(HostImageException.Stage.EMBED_AREA, e.getMessage(), e);
        }
        return url(name);
    }

    public URI url(String name) {
        return ImageRegistry.publishUrl(publishAddr, name);
    }

    public ImageRegistry registry() {
        return registry;
    }
}
