package io.metal3.icc.controller;

import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Secret;
import io.metal3.icc.crd.PreprovisioningImage;
import io.metal3.icc.crd.PreprovisioningImageStatus;

/** What the reconciler needs from the API server; implemented over fabric8, and in memory in tests. */
public interface Cluster {

    /** From the informer cache (label-filtered). */
    Optional<PreprovisioningImage> cachedImage(String namespace, String name);

    /** Straight from the API server, bypassing the label filter. */
    Optional<PreprovisioningImage> image(String namespace, String name);

    /** Replaces metadata.finalizers; fails on a resourceVersion conflict. */
    PreprovisioningImage updateFinalizers(PreprovisioningImage image, List<String> finalizers);

    /** Writes the status subresource; fails on a resourceVersion conflict. */
    PreprovisioningImage updateStatus(PreprovisioningImage image, PreprovisioningImageStatus status);

    /** Cache first, then the API server (the Secret may not be labelled yet). */
    Optional<Secret> secret(String namespace, String name);

    Secret updateSecret(Secret secret);

    /** Records a Kubernetes Event on the image; never fails the reconcile. */
    void event(PreprovisioningImage image, boolean warning, String reason, String message);
}
