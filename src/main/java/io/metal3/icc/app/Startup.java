package io.metal3.icc.app;

import java.util.logging.Level;
import java.util.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.Singleton;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.metal3.icc.config.InvalidSettingException;
import io.metal3.icc.config.Settings;
import io.metal3.icc.controller.runtime.ImageController;
import io.metal3.icc.controller.runtime.KubernetesClients;
import io.metal3.icc.controller.runtime.LeaseLeadership;
import io.metal3.icc.hostimage.BaseImages;
import io.metal3.icc.provider.ImageProvider;
import io.metal3.icc.provider.RhcosImageProvider;
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

    /** Liveness: work waiting and nothing finished for this long means the controller is wedged. */
    static final Duration WEDGED_AFTER = Duration.ofMinutes(5);
    /** Downloads under way at shutdown may run this long; below the pod's terminationGracePeriodSeconds (30). */
    static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(20);
    /** Where the preStop hook asks for a drain (ICC_DRAIN_FILE; empty: no drain). The hook script uses the same default. */
    static final String DEFAULT_DRAIN_FILE = "/tmp/icc-drain";
    private KubernetesClient client;
    private volatile LeaseLeadership leadership;
    private Thread shutdownHook;
    private DrainTrigger drainTrigger;

    @PostConstruct
    void start() {
        try {
            Settings settings = Settings.load(name -> config.getOptionalValue(name, String.class));
            LOG.info("starting with " + settings.ignition() + ", DEPLOY_ISO=" + settings.deployIso()
                    + ", DEPLOY_INITRD=" + settings.deployInitrd() + ", publish address " + settings.publishAddr());
            shutdownHook = new Thread(this::stepDown, "icc-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            startDrainTrigger();
            if (settings.nmstateDir().isPresent()) {
                StaticImageLoader.load(settings, registry);
                int count = registry.size();
                state.started(() -> new ServingState.Readiness(true, "static mode: " + count + " images", ""), () -> true);
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
        BaseImages bases = new BaseImages(settings.deployIso(), settings.deployInitrd(), settings.controller().deployKernel(),
                settings.controller().imageSharedDir(), BaseImages.hostArchitecture());
        byte[] urlKey = settings.controller().imageUrlKey().map(k -> k.getBytes(StandardCharsets.UTF_8)).orElseGet(() -> {
            LOG.warning("IMAGE_URL_KEY is not set: every restart gives each PreprovisioningImage a new URL;"
                    + " set IMAGE_URL_KEY to a random secret to keep URLs across restarts");
            byte[] k = new byte[32];
            new SecureRandom().nextBytes(k);
            return k;
        });
        ImageProvider provider = new RhcosImageProvider(settings, bases, registry, urlKey);
        client = KubernetesClients.create();
        Optional<Settings.LeaderElection> election = settings.controller().leaderElection();
        ImageController[] started = new ImageController[1];
        if (election.isPresent()) {
            String namespace = election.get().namespace().orElse(client.getNamespace());
            if (namespace == null || namespace.isEmpty()) {
                throw new InvalidSettingException("LEADER_ELECTION_NAMESPACE", "LEADER_ELECTION=true but the Lease's"
                        + " namespace is unknown: set LEADER_ELECTION_NAMESPACE (or POD_NAMESPACE from the downward API)");
            }
            leadership = new LeaseLeadership(client, namespace, election.get().leaseName(), election.get().identity(),
                    () -> {
                        if (started[0] != null) {
                            started[0].leadershipChanged();
                        }
                    });
        }
        BooleanSupplier leading = leadership != null ? leadership : () -> true;
        telemetry.leadership(leading);
        controller = new ImageController(client, settings.controller().watchNamespace(), provider,
                settings.controller().workers(), telemetry::reconciled, leading);
        started[0] = controller;
        controller.start();
        if (leadership != null) {
            leadership.start();
            if (state.isDraining()) {
                leadership.close(); // drained while starting: never lead
            }
        }
        ImageController c = controller;
        LeaseLeadership l = leadership;
        state.started(() -> {
            ImageController.Health h = c.health();
            String role = l == null ? "" : l.getAsBoolean() ? "leader" : "follower";
            if (!bases.supports("")) {
                return new ServingState.Readiness(false, "base images of the host architecture are missing", role);
            }
            return new ServingState.Readiness(h.ready(), h.reason(), role);
        }, () -> !c.stalled(WEDGED_AFTER));
    }

    private void startDrainTrigger() {
        String file = config.getOptionalValue("ICC_DRAIN_FILE", String.class).orElse(DEFAULT_DRAIN_FILE).strip();
        if (file.isEmpty()) {
            LOG.info("ICC_DRAIN_FILE is empty: no drain before shutdown");
            return;
        }
        drainTrigger = new DrainTrigger(java.nio.file.Path.of(file),
                java.time.Instant.ofEpochMilli(java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime()),
                this::drain);
        drainTrigger.start();
    }

    /**
     * The preStop hook runs before SIGTERM, while Kubernetes removes the pod from its Services:
     * go on serving (nodes may still send connections here for seconds), but report not ready, end
     * keep-alive connections after their next response and hand the Lease over now.
     */
    private void drain() {
        LOG.info("drain requested by the preStop hook (for ICC_DRAIN_SECONDS="
                + config.getOptionalValue("ICC_DRAIN_SECONDS", String.class).orElse("10")
                + "): readiness DOWN, each connection closed after its next response, images served until SIGTERM");
        state.draining();
        LeaseLeadership l = leadership;
        if (l != null) {
            l.close();
        }
    }

    /**
     * SIGTERM runs this hook at once, while Liberty quiesces (a fixed 30 s in which it keeps serving
     * responses under way): readiness down, the Lease released so that another replica leads without
     * waiting for it to expire, and downloads under way given ICC_SHUTDOWN_GRACE_SECONDS more. (From
     * Liberty 26.0.0.10 on, the env-entry io.openliberty.ejb.destroyOnQuiesce does this for
     * `server stop` too.)
     */
    private void stepDown() {
        if (!state.isStopping()) {
            state.stopping(shutdownGrace());
        }
        if (leadership != null) {
            leadership.close();
        }
    }

    @PreDestroy
    void stop() {
        stepDown();
        if (drainTrigger != null) {
            drainTrigger.close();
        }
        if (controller != null) {
            controller.close();
        }
        if (client != null) {
            client.close();
        }
        try {
            if (shutdownHook != null) {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            }
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook has run or is running
        }
    }

    private Duration shutdownGrace() {
        try {
            int seconds = config.getOptionalValue("ICC_SHUTDOWN_GRACE_SECONDS", Integer.class)
                    .orElse((int) DEFAULT_SHUTDOWN_GRACE.toSeconds());
            return Duration.ofSeconds(Math.max(0, seconds));
        } catch (RuntimeException e) {
            LOG.warning("ICC_SHUTDOWN_GRACE_SECONDS is not a number of seconds: using " + DEFAULT_SHUTDOWN_GRACE.toSeconds());
            return DEFAULT_SHUTDOWN_GRACE;
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
