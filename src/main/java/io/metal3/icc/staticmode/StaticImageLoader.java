package io.metal3.icc.staticmode;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

import io.metal3.icc.config.Settings;
import io.metal3.icc.ignition.HostConfig;
import io.metal3.icc.ignition.IgnitionBuildException;
import io.metal3.icc.ignition.IgnitionBuilder;
import io.metal3.icc.image.EmbedAreaTooSmallException;
import io.metal3.icc.image.ImageFormat;
import io.metal3.icc.image.InvalidBaseImageException;
import io.metal3.icc.nmstate.HostNetwork;
import io.metal3.icc.nmstate.NmstateException;
import io.metal3.icc.registry.ImageRegistry;

/** Static mode: one ISO and one initramfs per NMState file, registered once at start-up. */
public final class StaticImageLoader {

    private static final Logger LOG = Logger.getLogger(StaticImageLoader.class.getName());

    private StaticImageLoader() {
    }

    /** @return the published URLs, in registration order */
    public static List<URI> load(Settings settings, ImageRegistry registry) throws StaticModeException {
        var dir = settings.nmstateDir().orElseThrow();
        List<StaticHost> hosts;
        try {
            hosts = StaticHost.scan(dir);
        } catch (IOException e) {
            throw new StaticModeException("cannot read NMSTATE_DIR: " + e.getMessage(), e);
        }
        if (hosts.isEmpty()) {
            LOG.warning("NMSTATE_DIR " + dir + " holds no files: no images are served");
        }
        List<URI> urls = new ArrayList<>();
        HostNetwork network = settings.hostNetwork();
        for (StaticHost host : hosts) {
            HostConfig config;
            try {
                config = new HostConfig(host.hostname(), HostNetwork.given(host.nmstate()), network.keyfiles(host.nmstate()));
            } catch (NmstateException | IOException e) {
                throw new StaticModeException("problem converting the NMState of " + host.fileName() + ": "
                        + e.getMessage(), e);
            }
            byte[] ignition;
            try {
                ignition = IgnitionBuilder.build(settings.ignition(), config);
            } catch (IgnitionBuildException | IOException e) {
                throw new StaticModeException("problem generating ignition for " + host.fileName() + ": "
                        + e.getMessage(), e);
            }
            for (ImageFormat format : ImageFormat.values()) {
                String name = host.imageBaseName() + format.suffix();
                var base = format == ImageFormat.ISO ? settings.deployIso() : settings.deployInitrd();
                try {
                    registry.register(name, format, "", ignition, base);
                } catch (InvalidBaseImageException e) {
                    throw new StaticModeException("cannot serve " + name + ": " + e.getMessage()
                            + " (check " + (format == ImageFormat.ISO ? "DEPLOY_ISO" : "DEPLOY_INITRD") + ")", e);
                } catch (EmbedAreaTooSmallException e) {
                    throw new StaticModeException("cannot serve " + name + " (from " + host.fileName() + "): "
                            + e.getMessage() + "; use a base ISO with a larger /images/ignition.img", e);
                }
                URI url = ImageRegistry.publishUrl(settings.publishAddr(), name);
                LOG.info("serving image " + name + " for host " + host.hostname() + " at " + url);
                urls.add(url);
            }
        }
        return urls;
    }
}
