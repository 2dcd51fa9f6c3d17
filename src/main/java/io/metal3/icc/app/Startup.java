package io.metal3.icc.app;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.Singleton;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.metal3.icc.config.InvalidSettingException;
import io.metal3.icc.config.Settings;
import io.metal3.icc.registry.ImageRegistry;
import io.metal3.icc.serving.ServingState;
import io.metal3.icc.serving.Telemetry;
import io.metal3.icc.staticmode.StaticModeException;

/**
 * Reads the settings and starts the mode they ask for: static mode (NMSTATE_DIR set) or the
 * PreprovisioningImage controller; then wires drain and shutdown to it. A configuration the server
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

    @Inject
    Telemetry telemetry;

    private Settings.Server server;
    private volatile Mode mode;
    private Thread shutdownHook;
    private DrainTrigger drainTrigger;
    private CertificateRotation certificates;

    @PostConstruct
    void start() {
        Function<String, Optional<String>> env = name -> config.getOptionalValue(name, String.class);
        server = Settings.process(env);
        try {
            Settings settings = Settings.load(env);
            LOG.info("starting with " + settings.ignition() + ", DEPLOY_ISO=" + settings.deployIso()
                    + ", DEPLOY_INITRD=" + settings.deployInitrd() + ", publish address " + settings.publishAddr()
                    + settings.tls().map(t -> ", " + t).orElse(""));
            shutdownHook = new Thread(this::stepDown, "icc-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            if (settings.tls().isPresent()) {
                certificates = new CertificateRotation(settings.tls().get());
                certificates.start();
            }
            Mode m = settings.nmstateDir().isPresent() ? StaticMode.start(settings, registry)
                    : ControllerMode.start(settings, registry, telemetry);
            mode = m;
            state.started(m::readiness, m::live);
            startDrainTrigger();
        } catch (InvalidSettingException | StaticModeException | KubernetesClientException e) {
            fatal(e.getMessage());
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private void startDrainTrigger() {
        if (server.drainFile().isEmpty()) {
            LOG.info("ICC_DRAIN_FILE is empty: no drain before shutdown");
            return;
        }
        drainTrigger = new DrainTrigger(server.drainFile().get(),
                Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()), this::drain);
        drainTrigger.start();
    }

    /**
     * The preStop hook runs before SIGTERM, while Kubernetes removes the pod from its Services:
     * go on serving (nodes may still send connections here for seconds), but report not ready, end
     * keep-alive connections after their next response and hand the Lease over now.
     */
    private void drain() {
        LOG.info("drain requested by the preStop hook (for ICC_DRAIN_SECONDS=" + server.drainSeconds()
                + "): readiness DOWN, each connection closed after its next response, images served until SIGTERM");
        state.draining();
        Mode m = mode;
        if (m != null) {
            m.stepDown();
        }
    }

    /**
     * SIGTERM runs this hook at once, while Liberty quiesces (a fixed 30 s in which it keeps serving
     * responses under way): readiness down, the Lease released (if the drain has not) and downloads
     * under way given ICC_SHUTDOWN_GRACE_SECONDS more. (From Liberty 26.0.0.10 on, the env-entry
     * io.openliberty.ejb.destroyOnQuiesce does this for `server stop` too.)
     */
    private void stepDown() {
        if (!state.isStopping()) {
            state.stopping(server.shutdownGrace());
        }
        Mode m = mode;
        if (m != null) {
            m.stepDown();
        }
    }

    @PreDestroy
    void stop() {
        stepDown();
        if (drainTrigger != null) {
            drainTrigger.close();
        }
        if (certificates != null) {
            certificates.close();
        }
        Mode m = mode;
        if (m != null) {
            m.close();
        }
        try {
            if (shutdownHook != null) {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            }
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook has run or is running
        }
    }

    private void fatal(String message) {
        LOG.log(Level.SEVERE, "cannot start: " + message);
        if (server.exitOnFatal()) {
            // From another thread: exiting on the thread that is starting the application would
            // wait on the server's own shutdown, which waits on this start-up.
            Thread t = new Thread(() -> System.exit(1), "icc-fatal-exit");
            t.setDaemon(false);
            t.start();
        }
    }
}
