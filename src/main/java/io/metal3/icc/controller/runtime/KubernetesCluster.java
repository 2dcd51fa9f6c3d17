package io.metal3.icc.controller.runtime;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.metal3.icc.controller.Cluster;
import io.metal3.icc.crd.PreprovisioningImage;
import io.metal3.icc.crd.PreprovisioningImageStatus;

/**
 * {@link Cluster} over fabric8: reads from the informers' caches (or our own newer writes, see
 * {@link FresherThanCache}), writes to the API server with optimistic concurrency.
 */
final class KubernetesCluster implements Cluster {

    private static final Logger LOG = Logger.getLogger(KubernetesCluster.class.getName());

    private final KubernetesClient client;
    private final SharedIndexInformer<PreprovisioningImage> images;
    private final SharedIndexInformer<Secret> secrets;
    private final FresherThanCache<PreprovisioningImage> writtenImages;
    private final FresherThanCache<Secret> writtenSecrets;

    KubernetesCluster(KubernetesClient client, SharedIndexInformer<PreprovisioningImage> images,
                      SharedIndexInformer<Secret> secrets) {
        this.client = client;
        this.images = images;
        this.secrets = secrets;
        this.writtenImages = new FresherThanCache<>(i -> i.getMetadata().getResourceVersion(),
                i -> client.getKubernetesSerialization().clone(i));
        this.writtenSecrets = new FresherThanCache<>(s -> s.getMetadata().getResourceVersion(),
                s -> client.getKubernetesSerialization().clone(s));
    }

    @Override
    public Optional<PreprovisioningImage> cachedImage(String namespace, String name) {
        String key = Cache.namespaceKeyFunc(namespace, name);
        return Optional.ofNullable(writtenImages.freshest(key, images.getIndexer().getByKey(key)));
    }

    @Override
    public Optional<PreprovisioningImage> image(String namespace, String name) {
        return Optional.ofNullable(client.resources(PreprovisioningImage.class).inNamespace(namespace).withName(name).get());
    }

    @Override
    public PreprovisioningImage updateFinalizers(PreprovisioningImage image, List<String> finalizers) {
        PreprovisioningImage copy = client.getKubernetesSerialization().clone(image);
        copy.getMetadata().setFinalizers(finalizers);
        PreprovisioningImage updated = client.resource(copy).update();
        writtenImages.wrote(key(image), image.getMetadata().getResourceVersion(), updated.getMetadata().getDeletionTimestamp() != null
                && finalizers.isEmpty() ? null : updated);
        return updated;
    }

    @Override
    public PreprovisioningImage updateStatus(PreprovisioningImage image, PreprovisioningImageStatus status) {
        PreprovisioningImage copy = client.getKubernetesSerialization().clone(image);
        copy.setStatus(status);
        PreprovisioningImage updated = client.resource(copy).updateStatus();
        writtenImages.wrote(key(image), image.getMetadata().getResourceVersion(), updated);
        return updated;
    }

    @Override
    public Optional<Secret> secret(String namespace, String name) {
        String key = Cache.namespaceKeyFunc(namespace, name);
        Secret cached = writtenSecrets.freshest(key, secrets.getIndexer().getByKey(key));
        if (cached != null) {
            return Optional.of(client.getKubernetesSerialization().clone(cached));
        }
        return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get());
    }

    @Override
    public Secret updateSecret(Secret secret) {
        String before = secret.getMetadata().getResourceVersion();
        Secret updated = client.resource(secret).update();
        writtenSecrets.wrote(Cache.namespaceKeyFunc(secret.getMetadata().getNamespace(), secret.getMetadata().getName()),
                before, updated);
        return updated;
    }

    private static String key(PreprovisioningImage image) {
        return Cache.namespaceKeyFunc(image.getMetadata().getNamespace(), image.getMetadata().getName());
    }

    @Override
    public void event(PreprovisioningImage image, boolean warning, String reason, String message) {
        try {
            String ts = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
            client.v1().events().inNamespace(image.getMetadata().getNamespace()).resource(new EventBuilder()
                    .withNewMetadata().withGenerateName(image.getMetadata().getName() + ".").endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion("metal3.io/v1alpha1")
                            .withKind("PreprovisioningImage").withNamespace(image.getMetadata().getNamespace())
                            .withName(image.getMetadata().getName()).withUid(image.getMetadata().getUid())
                            .withResourceVersion(image.getMetadata().getResourceVersion()).build())
                    .withType(warning ? "Warning" : "Normal").withReason(reason)
                    .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
                    .withFirstTimestamp(ts).withLastTimestamp(ts).withCount(1)
                    .withNewSource().withComponent("image-customization-controller").endSource()
                    .build()).create();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "cannot record event " + reason + ": " + e.getMessage());
        }
    }
}
