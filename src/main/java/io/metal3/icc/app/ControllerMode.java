package io.metal3.icc.app;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.metal3.icc.config.InvalidSettingException;
import io.metal3.icc.config.Settings;
import io.metal3.icc.controller.runtime.ImageController;
import io.metal3.icc.controller.runtime.KubernetesClients;
import io.metal3.icc.controller.runtime.LeaseLeadership;
import io.metal3.icc.hostimage.BaseImages;
import io.metal3.icc.provider.RhcosImageProvider;
import io.metal3.icc.registry.ImageRegistry;
import io.metal3.icc.serving.ServingState;
import io.metal3.icc.serving.Telemetry;

/** Controller mode: the PreprovisioningImage controller, with leader election when asked for. */
final class ControllerMode implements Mode {

    private static final Logger LOG = Logger.getLogger(ControllerMode.class.getName());
    /** Liveness: work waiting and nothing finished for this long means the controller is wedged. */
    static final Duration WEDGED_AFTER = Duration.ofMinutes(5);

    private final KubernetesClient client;
    private final BaseImages bases;
    private volatile ImageController controller;
    private volatile LeaseLeadership leadership;

    private ControllerMode(KubernetesClient client, BaseImages bases) {
        this.client = client;
        this.bases = bases;
    }

    static Mode start(Settings settings, ImageRegistry registry, Telemetry telemetry) {
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
        ControllerMode mode = new ControllerMode(KubernetesClients.create(), bases);
        Optional<Settings.LeaderElection> election = settings.controller().leaderElection();
        if (election.isPresent()) {
            String namespace = election.get().namespace().orElse(mode.client.getNamespace());
            if (namespace == null || namespace.isEmpty()) {
                mode.close();
                throw new InvalidSettingException("LEADER_ELECTION_NAMESPACE", "LEADER_ELECTION=true but the Lease's"
                        + " namespace is unknown: set LEADER_ELECTION_NAMESPACE (or POD_NAMESPACE from the downward API)");
            }
            mode.leadership = new LeaseLeadership(mode.client, namespace, election.get().leaseName(),
                    election.get().identity(), mode::leadershipChanged);
        }
        BooleanSupplier leading = mode.leadership != null ? mode.leadership : () -> true;
        telemetry.leadership(leading);
        mode.controller = new ImageController(mode.client, settings.controller().watchNamespace(),
                new RhcosImageProvider(settings, bases, registry, urlKey), settings.controller().workers(),
                telemetry::reconciled, leading);
        mode.controller.start();
        if (mode.leadership != null) {
            mode.leadership.start();
        }
        return mode;
    }

    private void leadershipChanged() {
        ImageController c = controller;
        if (c != null) {
            c.leadershipChanged();
        }
    }

    @Override
    public ServingState.Readiness readiness() {
        ImageController.Health h = controller.health();
        LeaseLeadership l = leadership;
        String role = l == null ? "" : l.getAsBoolean() ? "leader" : "follower";
        if (!bases.supports("")) {
            return new ServingState.Readiness(false, "base images of the host architecture are missing", role);
        }
        return new ServingState.Readiness(h.ready(), h.reason(), role);
    }

    @Override
    public boolean live() {
        return !controller.stalled(WEDGED_AFTER);
    }

    /** Releases the Lease, so that another replica leads without waiting for it to expire. */
    @Override
    public void stepDown() {
        LeaseLeadership l = leadership;
        if (l != null) {
            l.close();
        }
    }

    @Override
    public void close() {
        stepDown();
        ImageController c = controller;
        if (c != null) {
            c.close();
        }
        client.close();
    }
}
