package io.metal3.icc.app;

import java.util.logging.Level;
import java.util.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.Singleton;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.metal3.icc.config.InvalidSettingException;
import io.metal3.icc.controller.BaseImages;
import io.metal3.icc.controller.ImageController;
import io.metal3.icc.controller.ImageProvider;
import io.metal3.icc.controller.RhcosImageProvider;
import io.metal3.icc.config.Settings;
import io.metal3.icc.registry.ImageRegistry;
import io.metal3.icc.staticmode.StaticImageLoader;
import io.metal3.icc.staticmode.StaticModeException;

/**
 * Reads the settings and starts the mode they ask for: static mode (NMSTATE_DIR set) or the
 * PreprovisioningImage controller. A configuration the server cannot work with stops the process
 * (exit 1) with a message saying what to fix, as upstream does.
 */
@jakarta.ejb.Startup
@Singleton
public class Startup {

    private static final Logger LOG = Logger.getLogger(Startup.class.getName());

    @Inject
    Config config;

    @Inject
    ImageRegistry registry;

    @Inject
    ServingState state;

    @Inject
    Telemetry telemetry;

    private ImageController controller;

    @PostConstruct
    void start() {
        try {
            Settings settings = Settings.load(name -> config.getOptionalValue(name, String.class));
            LOG.info("starting with " + settings.ignition() + ", DEPLOY_ISO=" + settings.deployIso()
                    + ", DEPLOY_INITRD=" + settings.deployInitrd() + ", publish address " + settings.publishAddr());
            if (settings.nmstateDir().isPresent()) {
                StaticImageLoader.load(settings, registry);
                state.started("static mode: " + registry.size() + " images from " + settings.nmstateDir().get(),
                        () -> true, () -> true);
            } else {
                startController(settings);
            }
        } catch (InvalidSettingException | StaticModeException | KubernetesClientException e) {
            fatal(e.getMessage());
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private void startController(Settings settings) {
        LOG.info("controller mode: " + settings.controller());
        BaseImages bases = new BaseImages(settings.deployIso(), settings.deployInitrd(),
                settings.controller().imageSharedDir(), BaseImages.hostArchitecture());
        byte[] urlKey = settings.controller().imageUrlKey().map(k -> k.getBytes(StandardCharsets.UTF_8)).orElseGet(() -> {
            LOG.warning("IMAGE_URL_KEY is not set: every restart gives each PreprovisioningImage a new URL;"
                    + " set IMAGE_URL_KEY to a random secret to keep URLs across restarts");
            byte[] k = new byte[32];
            new SecureRandom().nextBytes(k);
            return k;
        });
        ImageProvider provider = new RhcosImageProvider(settings, bases, registry, urlKey);
        controller = new ImageController(new KubernetesClientBuilder().build(), settings.controller().watchNamespace(),
                provider, settings.controller().workers(), telemetry::reconciled);
        controller.start();
        ImageController c = controller;
        state.started("controller mode", () -> c.synced() && bases.supports(""), () -> !c.stalled(Duration.ofMinutes(5)));
    }

    @PreDestroy
    void stop() {
        if (controller != null) {
            controller.close();
        }
    }

    private static void fatal(String message) {
        LOG.log(Level.SEVERE, "cannot start: " + message);
        if (Boolean.parseBoolean(System.getProperty("icc.exitOnFatal", System.getenv().getOrDefault("ICC_EXIT_ON_FATAL", "true")))) {
            // From another thread: exiting on the thread that is starting the application would
            // wait on the server's own shutdown, which waits on this start-up.
            Thread t = new Thread(() -> System.exit(1), "icc-fatal-exit");
            t.setDaemon(false);
            t.start();
        }
    }
}
