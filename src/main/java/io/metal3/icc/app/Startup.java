package io.metal3.icc.app;

import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;

import io.metal3.icc.config.InvalidSettingException;
import io.metal3.icc.config.Settings;
import io.metal3.icc.registry.ImageRegistry;
import io.metal3.icc.staticmode.StaticImageLoader;
import io.metal3.icc.staticmode.StaticModeException;

/**
 * Reads the settings and fills the registry when the application starts. A configuration the server
 * cannot work with stops the process (exit 1) with a message saying what to fix, as upstream does.
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

    @PostConstruct
    void start() {
        try {
            Settings settings = Settings.load(name -> config.getOptionalValue(name, String.class));
            LOG.info("starting with " + settings.ignition() + ", DEPLOY_ISO=" + settings.deployIso()
                    + ", DEPLOY_INITRD=" + settings.deployInitrd() + ", publish address " + settings.publishAddr());
            if (settings.nmstateDir().isEmpty()) {
                throw new InvalidSettingException("NMSTATE_DIR",
                        "NMSTATE_DIR is not set: this build serves static mode only; set NMSTATE_DIR to a"
                                + " directory of NMState files (one per host)");
            }
            StaticImageLoader.load(settings, registry);
            state.ready("static mode: " + registry.size() + " images from " + settings.nmstateDir().get());
        } catch (InvalidSettingException | StaticModeException e) {
            fatal(e.getMessage());
            throw new IllegalStateException(e.getMessage(), e);
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
