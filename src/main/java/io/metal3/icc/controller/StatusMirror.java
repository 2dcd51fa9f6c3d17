package io.metal3.icc.controller;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

import io.fabric8.kubernetes.api.model.Secret;
import io.metal3.icc.crd.PreprovisioningImage;
import io.metal3.icc.crd.PreprovisioningImageStatus;
import io.metal3.icc.crd.SecretStatus;
import io.metal3.icc.provider.ImageProvider;

/**
 * What a replica that does not lead does for one PreprovisioningImage: serve the image its status
 * names, built from the inputs the status records, and nothing else. It never writes to the API
 * server. Image names are a keyed hash of the content, so the same inputs give the leader's URL here.
 */
public final class StatusMirror {

    private static final Logger LOG = Logger.getLogger(StatusMirror.class.getName());

    /** What became of the image: served at the status URL, dropped, or not servable here. */
    public enum Outcome { SERVED, DISCARDED, MISMATCH, FAILED }

    private final Cluster cluster;
    private final ImageProvider provider;

    public StatusMirror(Cluster cluster, ImageProvider provider) {
        this.cluster = cluster;
        this.provider = provider;
    }

    public Outcome serve(String namespace, String name) {
        Optional<PreprovisioningImage> cached = cluster.cachedImage(namespace, name);
        if (cached.isEmpty()) {
            // Deleted, or handed over to assisted-service (infraenv label).
            provider.discardAll(namespace, name);
            return Outcome.DISCARDED;
        }
        PreprovisioningImage img = cached.get();
        PreprovisioningImageStatus status = img.status();
        String url = status.getImageUrl();
        if (url == null || url.isEmpty() || !Conditions.isTrue(status.getConditions(), Conditions.READY)) {
            provider.discardAll(namespace, name);
            return Outcome.DISCARDED;
        }
        SecretStatus recorded = status.getNetworkData();
        Map<String, byte[]> networkData = null;
        if (recorded.getName() != null && !recorded.getName().isEmpty()) {
            Optional<Secret> secret;
            try {
                secret = cluster.secret(namespace, recorded.getName());
            } catch (RuntimeException e) {
                LOG.warning(namespace + "/" + name + ": cannot read Secret " + recorded.getName() + ": " + e.getMessage());
                return Outcome.FAILED;
            }
            if (secret.isEmpty() || !Objects.equals(secret.get().getMetadata().getResourceVersion(), recorded.getVersion())) {
                // Gone or changed since the leader built: the leader's next status says what to serve.
                provider.discardAll(namespace, name);
                return Outcome.DISCARDED;
            }
            networkData = Reconciler.decode(secret.get());
        }
        ImageProvider.ImageData data = Reconciler.imageData(img, status.getFormat(), status.getArchitecture(), recorded);
        try {
            String built = provider.buildImage(data, networkData).imageUrl();
            if (!built.equals(url)) {
                provider.discardImage(data);
                LOG.warning(namespace + "/" + name + ": this replica builds a different image than the leader did"
                        + " (settings differ between replicas, e.g. during a rollout): its URL is not served here"
                        + " until the leader rebuilds it");
                return Outcome.MISMATCH;
            }
            return Outcome.SERVED;
        } catch (ImageProvider.BuildInvalidException | IOException | RuntimeException e) {
            LOG.warning(namespace + "/" + name + ": cannot serve the image of its status here: " + e.getMessage());
            return Outcome.FAILED;
        }
    }
}
