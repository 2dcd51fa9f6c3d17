package io.metal3.icc.staticmode;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

import io.metal3.icc.config.Settings;
import io.metal3.icc.hostimage.HostImageException;
import io.metal3.icc.hostimage.HostImages;
import io.metal3.icc.image.ImageFormat;
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
        HostImages images = new HostImages(settings.ignition(), settings.hostNetwork(), registry, settings.publishAddr());
        for (StaticHost host : hosts) {
            byte[] ignition;
            try {
                ignition = images.ignition(host.hostname(), host.nmstate());
            } catch (HostImageException e) {
                throw new StaticModeException((e.stage() == HostImageException.Stage.NETWORK
                        ? "problem converting the NMState of " : "problem generating ignition for ")
                        + host.fileName() + ": " + e.getMessage(), e);
            }
            for (ImageFormat format : ImageFormat.values()) {
                String name = host.imageBaseName() + format.suffix();
                // Static mode serves the host architecture's default files (no streams).
                var base = format == ImageFormat.ISO ? settings.deployIso() : settings.deployInitrd();
                URI url;
                try {
                    url = images.register(name, format, "", ignition, base, false);
                } catch (HostImageException e) {
                    throw new StaticModeException(e.stage() == HostImageException.Stage.EMBED_AREA
                            ? "cannot serve " + name + " (from " + host.fileName() + "): " + e.getMessage()
                                    + "; use a base ISO with a larger /images/ignition.img"
                            : "cannot serve " + name + ": " + e.getMessage()
                                    + " (check " + (format == ImageFormat.ISO ? "DEPLOY_ISO" : "DEPLOY_INITRD") + ")", e);
                }
                LOG.info("serving image " + name + " for host " + host.hostname() + " at " + url);
                urls.add(url);
            }
        }
        return urls;
    }
}
