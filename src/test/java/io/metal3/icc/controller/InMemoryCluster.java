package io.metal3.icc.controller;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.metal3.icc.crd.PreprovisioningImage;
import io.metal3.icc.crd.PreprovisioningImageStatus;

/** An API server in memory: objects are copied in and out, resourceVersions move, stale writes conflict. */
class InMemoryCluster implements Cluster {

    final Map<String, PreprovisioningImage> images = new HashMap<>();
    final Map<String, Secret> secrets = new HashMap<>();
    final List<String> events = new ArrayList<>();
    int statusWrites;
    int secretWrites;
    int finalizerWrites;
    private long rv = 100;

    static String key(String ns, String name) {
        return ns + "/" + name;
    }

    void put(PreprovisioningImage img) {
        img.getMetadata().setResourceVersion(String.valueOf(++rv));
        images.put(key(img.getMetadata().getNamespace(), img.getMetadata().getName()), Serialization.clone(img));
    }

    void put(Secret s) {
        s.getMetadata().setResourceVersion(String.valueOf(++rv));
        secrets.put(key(s.getMetadata().getNamespace(), s.getMetadata().getName()), Serialization.clone(s));
    }

    PreprovisioningImage get(String ns, String name) {
        return Serialization.clone(images.get(key(ns, name)));
    }

    @Override
    public Optional<PreprovisioningImage> cachedImage(String namespace, String name) {
        PreprovisioningImage img = images.get(key(namespace, name));
        if (img == null || (img.getMetadata().getLabels() != null
                && img.getMetadata().getLabels().containsKey(PreprovisioningImage.INFRAENV_LABEL))) {
            return Optional.empty(); // the informer's label selector
        }
        return Optional.of(Serialization.clone(img));
    }

    @Override
    public Optional<PreprovisioningImage> image(String namespace, String name) {
        return Optional.ofNullable(images.get(key(namespace, name))).map(Serialization::clone);
    }

    private PreprovisioningImage current(PreprovisioningImage img) {
        String k = key(img.getMetadata().getNamespace(), img.getMetadata().getName());
        PreprovisioningImage stored = images.get(k);
        if (stored == null) {
            throw new IllegalStateException("not found: " + k);
        }
        if (!stored.getMetadata().getResourceVersion().equals(img.getMetadata().getResourceVersion())) {
            throw new IllegalStateException("conflict: " + k);
        }
        return stored;
    }

    @Override
    public PreprovisioningImage updateFinalizers(PreprovisioningImage img, List<String> finalizers) {
        PreprovisioningImage stored = current(img);
        finalizerWrites++;
        stored.getMetadata().setFinalizers(new ArrayList<>(finalizers));
        if (finalizers.isEmpty() && stored.getMetadata().getDeletionTimestamp() != null) {
            images.remove(key(img.getMetadata().getNamespace(), img.getMetadata().getName()));
            return stored;
        }
        stored.getMetadata().setResourceVersion(String.valueOf(++rv));
        return Serialization.clone(stored);
    }

    @Override
    public PreprovisioningImage updateStatus(PreprovisioningImage img, PreprovisioningImageStatus status) {
        PreprovisioningImage stored = current(img);
        statusWrites++;
        stored.setStatus(Serialization.clone(status));
        stored.getMetadata().setResourceVersion(String.valueOf(++rv));
        return Serialization.clone(stored);
    }

    @Override
    public Optional<Secret> secret(String namespace, String name) {
        return Optional.ofNullable(secrets.get(key(namespace, name))).map(Serialization::clone);
    }

    @Override
    public Secret updateSecret(Secret secret) {
        secretWrites++;
        put(secret);
        return Serialization.clone(secret);
    }

    @Override
    public void event(PreprovisioningImage image, boolean warning, String reason, String message) {
        events.add((warning ? "Warning " : "Normal ") + reason + ": " + message);
    }
}
