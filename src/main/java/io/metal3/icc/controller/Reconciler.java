package io.metal3.icc.controller;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.metal3.icc.crd.PreprovisioningImage;
import io.metal3.icc.crd.PreprovisioningImageSpec;
import io.metal3.icc.crd.PreprovisioningImageStatus;
import io.metal3.icc.crd.SecretStatus;
import io.metal3.icc.hostimage.Streams;
import io.metal3.icc.provider.ImageProvider;

/**
 * Reconciles one PreprovisioningImage: upstream's algorithm (baremetal-operator's reconciler with
 * the RHCOS provider), with no-op status writes skipped and every failure visible in the status.
 * Free of I/O: it talks to the API server only through {@link Cluster}.
 */
public final class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class.getName());

    public static final String SECRET_LABEL = "environment.metal3.io";
    public static final String SECRET_LABEL_VALUE = "baremetal";
    static final Duration MIN_RETRY = Duration.ofSeconds(10);
    static final Duration MAX_RETRY = Duration.ofMinutes(10);

    /** What to do next: requeue after a delay, retry with backoff (error), or wait for events. */
    public record Result(Duration requeueAfter, Exception error) {
        static final Result DONE = new Result(null, null);

        static Result after(Duration d) {
            return new Result(d, null);
        }

        static Result failed(Exception e) {
            return new Result(null, e);
        }
    }

    private final Cluster cluster;
    private final ImageProvider provider;
    private final Clock clock;

    public Reconciler(Cluster cluster, ImageProvider provider, Clock clock) {
        this.cluster = cluster;
        this.provider = provider;
        this.clock = clock;
    }

    public Result reconcile(String namespace, String name) {
        try {
            return reconcileOrThrow(namespace, name);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "reconcile of " + namespace + "/" + name + " failed: " + e.getMessage());
            return Result.failed(e);
        }
    }

    private Result reconcileOrThrow(String namespace, String name) {
        Optional<PreprovisioningImage> cached = cluster.cachedImage(namespace, name);
        if (cached.isEmpty()) {
            releaseIfHandedOver(namespace, name);
            // Deleted (perhaps without our finalizer) or handed over: nothing of it is served any more.
            provider.discardAll(namespace, name);
            return Result.DONE;
        }
        PreprovisioningImage img = cached.get();
        List<String> finalizers = new ArrayList<>(img.getMetadata().getFinalizers());

        if (img.getMetadata().getDeletionTimestamp() != null) {
            if (finalizers.stream().anyMatch(f -> !f.equals(PreprovisioningImage.FINALIZER))) {
                LOG.fine(() -> key(img) + ": waiting for other finalizers to be removed before cleanup");
                return Result.DONE;
            }
            discardExisting(img);
            if (finalizers.remove(PreprovisioningImage.FINALIZER)) {
                cluster.updateFinalizers(img, finalizers);
                LOG.info(key(img) + ": image discarded, finalizer removed");
            }
            return Result.DONE;
        }
        if (!finalizers.contains(PreprovisioningImage.FINALIZER)) {
            finalizers.add(PreprovisioningImage.FINALIZER);
            cluster.updateFinalizers(img, finalizers);
            return Result.DONE; // the update event brings the next step
        }

        PreprovisioningImageStatus old = status(img);
        Step step = update(img, old);
        Result result = step.result;
        if (!StatusComparison.same(old, step.status)) {
            try {
                cluster.updateStatus(img, step.status);
            } catch (RuntimeException e) {
                return Result.failed(e);
            }
            announce(img, old, step.status);
        }
        return result;
    }

    private record Step(PreprovisioningImageStatus status, Result result) {
    }

    private Step update(PreprovisioningImage img, PreprovisioningImageStatus old) {
        Long gen = img.getMetadata().getGeneration();
        Instant now = clock.instant();
        PreprovisioningImageSpec spec = img.spec();
        String arch = spec.getArchitecture();

        String stream = img.stream();
        if (!Streams.valid(stream)) {
            return new Step(StatusUpdates.setError(old, gen, Conditions.CONFIGURATION_ERROR, "Invalid CoreOS stream: label "
                    + PreprovisioningImage.STREAM_LABEL + " must be a stream name such as rhel-10 (letters, digits, '.', '_', '-')", now),
                    Result.DONE);
        }
        if (!provider.supportsArchitecture(stream, arch)) {
            return new Step(StatusUpdates.setError(old, gen, Conditions.CONFIGURATION_ERROR,
                    (stream.isEmpty() ? "Architecture not supported: " : "Stream or architecture not supported: ")
                            + provider.architectureHelp(stream, arch), now), Result.DONE);
        }
        String format = spec.getAcceptFormats().stream().filter(provider::supportsFormat).findFirst().orElse(null);
        if (format == null) {
            return new Step(StatusUpdates.setError(old, gen, Conditions.CONFIGURATION_ERROR,
                    "No acceptable image format supported: spec.acceptFormats " + spec.getAcceptFormats()
                            + " names none of iso, initrd", now), Result.DONE);
        }

        SecretStatus secretStatus = new SecretStatus();
        Map<String, byte[]> networkData = null;
        String secretName = spec.getNetworkDataName();
        if (secretName != null && !secretName.isEmpty()) {
            Optional<Secret> secret;
            Secret claimed;
            try {
                secret = cluster.secret(img.getMetadata().getNamespace(), secretName);
                claimed = secret.isEmpty() ? null : claim(img, secret.get());
            } catch (RuntimeException e) {
                // e.g. RBAC forbids updating Secrets: upstream retried silently.
                String message = "Cannot generate image: cannot read or claim Secret " + secretName + ": "
                        + e.getMessage() + " (retrying)";
                return new Step(StatusUpdates.setError(old, gen, Conditions.IMAGE_BUILD_FAILED, message, now),
                        Result.failed(e));
            }
            if (secret.isEmpty()) {
                // The image carries what the Secret held: a deleted Secret must not stay downloadable.
                provider.discardAll(img.getMetadata().getNamespace(), img.getMetadata().getName());
                PreprovisioningImageStatus s = StatusUpdates.setError(old, gen, Conditions.MISSING_NETWORK_DATA,
                        "NetworkData secret not found: create Secret " + secretName + " in namespace "
                                + img.getMetadata().getNamespace() + " with the host's NMState under key 'nmstate'", now);
                return new Step(s, Result.after(retryDelay(s, now)));
            }
            secretStatus = new SecretStatus(secretName, claimed.getMetadata().getResourceVersion());
            networkData = decode(claimed);
        }

        boolean configChanged = !(Objects.equals(nz(old.getFormat()), format)
                && old.getArchitecture().equals(arch)
                && secretStatus.equals(old.getNetworkData()));
        if (configChanged) {
            if (Conditions.isTrue(old.getConditions(), Conditions.READY)) {
                // Keep the old image served until this write lands.
                return new Step(StatusUpdates.setUnready(old, gen, "Config changed", now), Result.DONE);
            }
            discardExisting(img);
            // Record the new config before building, so a crash cannot leak registry entries.
            return new Step(StatusUpdates.setImage(old, gen, "", format, secretStatus, arch, "Config changed", now),
                    Result.DONE);
        }

        ImageProvider.ImageData data = imageData(img, format, arch, secretStatus);
        try {
            ImageProvider.GeneratedImage image = provider.buildImage(data, networkData);
            LOG.info(key(img) + ": image URL available, format " + format);
            return new Step(StatusUpdates.setImage(old, gen, image, format, secretStatus, arch, "Generated image", now),
                    Result.DONE);
        } catch (ImageProvider.BuildInvalidException e) {
            LOG.warning(key(img) + ": image build failed: " + e.getMessage());
            return new Step(StatusUpdates.setError(old, gen, Conditions.IMAGE_BUILD_INVALID, e.getMessage(), now),
                    Result.DONE);
        } catch (IOException | RuntimeException e) {
            String message = "Cannot generate image: " + e.getMessage() + " (retrying)";
            LOG.warning(key(img) + ": " + message);
            return new Step(StatusUpdates.setError(old, gen, Conditions.IMAGE_BUILD_FAILED, message, now),
                    Result.failed(e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e)));
        }
    }

    /** MissingNetworkData: 10 s + time already spent in error, at most 10 min (≈ doubling). */
    static Duration retryDelay(PreprovisioningImageStatus s, Instant now) {
        Duration inError = Conditions.find(s.getConditions(), Conditions.ERROR)
                .map(Condition::getLastTransitionTime).map(Instant::parse)
                .map(t -> Duration.between(t, now)).orElse(Duration.ZERO);
        if (inError.isNegative()) {
            inError = Duration.ZERO;
        }
        Duration d = inError.plus(MIN_RETRY);
        return d.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : d;
    }

    /**
     * Claims the network Secret as upstream does: label it so the Secret informer sees it, and add
     * this PPI as a (non-controller) owner so that its changes are reconciled.
     */
    private Secret claim(PreprovisioningImage img, Secret secret) {
        boolean changed = false;
        Map<String, String> labels = secret.getMetadata().getLabels() == null ? new HashMap<>()
                : new HashMap<>(secret.getMetadata().getLabels());
        if (!labels.containsKey(SECRET_LABEL)) {
            labels.put(SECRET_LABEL, SECRET_LABEL_VALUE);
            secret.getMetadata().setLabels(labels);
            changed = true;
        }
        List<OwnerReference> refs = secret.getMetadata().getOwnerReferences() == null ? new ArrayList<>()
                : new ArrayList<>(secret.getMetadata().getOwnerReferences());
        String uid = img.getMetadata().getUid();
        OwnerReference mine = new OwnerReferenceBuilder().withApiVersion("metal3.io/v1alpha1")
                .withKind("PreprovisioningImage").withName(img.getMetadata().getName()).withUid(uid).build();
        Optional<OwnerReference> same = refs.stream().filter(r -> uid != null && uid.equals(r.getUid())).findFirst();
        if (same.isEmpty()) {
            refs.add(mine);
            changed = true;
        } else if (Boolean.TRUE.equals(same.get().getController())) {
            refs.set(refs.indexOf(same.get()), mine);
            changed = true;
        }
        if (!changed) {
            return secret;
        }
        secret.getMetadata().setOwnerReferences(refs);
        return cluster.updateSecret(secret);
    }

    static Map<String, byte[]> decode(Secret secret) {
        Map<String, byte[]> out = new HashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> out.put(k, v == null ? new byte[0] : Base64.getDecoder().decode(v)));
        }
        if (secret.getStringData() != null) {
            secret.getStringData().forEach((k, v) -> out.put(k, v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return out;
    }

    /** Discards the image the status describes (no-op when none was recorded). */
    private void discardExisting(PreprovisioningImage img) {
        PreprovisioningImageStatus s = status(img);
        if (s.getFormat() == null || s.getFormat().isEmpty()) {
            return;
        }
        provider.discardImage(imageData(img, s.getFormat(), s.getArchitecture(), s.getNetworkData()));
    }

    /**
     * A PPI that gained the infraenv label left our (filtered) cache; upstream then kept its
     * finalizer forever and its deletion hung. Release it.
     */
    private void releaseIfHandedOver(String namespace, String name) {
        Optional<PreprovisioningImage> live = cluster.image(namespace, name);
        if (live.isEmpty()) {
            return;
        }
        PreprovisioningImage img = live.get();
        Map<String, String> labels = img.getMetadata().getLabels();
        List<String> finalizers = new ArrayList<>(img.getMetadata().getFinalizers());
        if (labels != null && labels.containsKey(PreprovisioningImage.INFRAENV_LABEL)
                && finalizers.remove(PreprovisioningImage.FINALIZER)) {
            discardExisting(img);
            PreprovisioningImageStatus old = status(img);
            String url = old.getImageUrl();
            if ((url != null && !url.isEmpty()) || Conditions.isTrue(old.getConditions(), Conditions.READY)) {
                // Not Ready with a URL that no longer answers; assisted-service writes its own status.
                img = cluster.updateStatus(img, StatusUpdates.setReleased(old, img.getMetadata().getGeneration(),
                        "Handed over to assisted-service (" + PreprovisioningImage.INFRAENV_LABEL + " label)",
                        clock.instant()));
            }
            cluster.updateFinalizers(img, finalizers);
            LOG.info(key(img) + ": now handled by assisted-service (" + PreprovisioningImage.INFRAENV_LABEL
                    + " label): image discarded, finalizer removed");
        }
    }

    private void announce(PreprovisioningImage img, PreprovisioningImageStatus old, PreprovisioningImageStatus now) {
        Optional<Condition> err = Conditions.find(now.getConditions(), Conditions.ERROR);
        if (err.isPresent() && "True".equals(err.get().getStatus())) {
            cluster.event(img, true, err.get().getReason(), err.get().getMessage());
        } else if (now.getImageUrl() != null && !now.getImageUrl().isEmpty()
                && !Objects.equals(old.getImageUrl(), now.getImageUrl())) {
            cluster.event(img, false, "ImageReady", "Generated " + now.getFormat() + " image");
        }
    }

    static ImageProvider.ImageData imageData(PreprovisioningImage img, String format, String arch, SecretStatus s) {
        return new ImageProvider.ImageData(img.getMetadata().getNamespace(), img.getMetadata().getName(),
                img.getMetadata().getUid(), img.stream(), format, arch, s);
    }

    private static PreprovisioningImageStatus status(PreprovisioningImage img) {
        return img.status();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String key(PreprovisioningImage img) {
        return img.getMetadata().getNamespace() + "/" + img.getMetadata().getName();
    }
}
