package io.metal3.icc.controller;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * Watches PreprovisioningImages (without the infraenv label) and the labelled network Secrets, in one
 * namespace or all, and reconciles each changed image on a work queue.
 */
public final class ImageController implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ImageController.class.getName());
    /** controller-runtime's default informer resync. */
    static final long RESYNC_MILLIS = TimeUnit.HOURS.toMillis(10);

    private final KubernetesClient client;
    private final WorkQueue queue = new WorkQueue();
    private final SharedIndexInformer<PreprovisioningImage> images;
    private final SharedIndexInformer<Secret> secrets;
    private final Reconciler reconciler;
    private final int workers;
    private final Observer observer;

    /** Told the outcome of every reconcile (for metrics). */
    public interface Observer {
        /** @param result ok, requeued or error */
        void reconciled(String result, Duration took);
    }

    public ImageController(KubernetesClient client, Optional<String> namespace, ImageProvider provider, int workers) {
        this(client, namespace, provider, workers, (r, t) -> { });
    }

    public ImageController(KubernetesClient client, Optional<String> namespace, ImageProvider provider, int workers,
                           Observer observer) {
        this.client = client;
        this.workers = workers;
        this.observer = observer;
        var ppis = namespace.isPresent()
                ? client.resources(PreprovisioningImage.class).inNamespace(namespace.get())
                : client.resources(PreprovisioningImage.class).inAnyNamespace();
        this.images = ppis.withLabelSelector(new LabelSelectorBuilder().addNewMatchExpression()
                .withKey(PreprovisioningImage.INFRAENV_LABEL).withOperator("DoesNotExist").endMatchExpression().build())
                .runnableInformer(RESYNC_MILLIS);
        var secretOps = namespace.isPresent() ? client.secrets().inNamespace(namespace.get()) : client.secrets().inAnyNamespace();
        this.secrets = secretOps.withLabel(Reconciler.SECRET_LABEL, Reconciler.SECRET_LABEL_VALUE)
                .runnableInformer(RESYNC_MILLIS);
        this.reconciler = new Reconciler(new KubernetesCluster(client, images, secrets), provider, Clock.systemUTC());
        images.addEventHandler(handler(this::enqueue));
        secrets.addEventHandler(handler(this::enqueueOwners));
    }

    private static <T extends HasMetadata> ResourceEventHandler<T> handler(java.util.function.Consumer<T> action) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                action.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                action.accept(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                action.accept(obj);
            }
        };
    }

    private void enqueue(PreprovisioningImage img) {
        queue.add(img.getMetadata().getNamespace() + "/" + img.getMetadata().getName());
    }

    /** Every PPI among the Secret's owners, whatever its controller flag (upstream's MatchEveryOwner). */
    private void enqueueOwners(Secret secret) {
        for (OwnerReference ref : secret.getMetadata().getOwnerReferences()) {
            if ("PreprovisioningImage".equals(ref.getKind()) && ref.getApiVersion() != null
                    && ref.getApiVersion().startsWith("metal3.io/")) {
                queue.add(secret.getMetadata().getNamespace() + "/" + ref.getName());
            }
        }
    }

    public void start() {
        images.start();
        secrets.start();
        queue.run(workers, this::process);
        LOG.info("watching PreprovisioningImages and network Secrets with " + workers + " workers");
    }

    private void process(String key) {
        int slash = key.indexOf('/');
        long t0 = System.nanoTime();
        Reconciler.Result r = reconciler.reconcile(key.substring(0, slash), key.substring(slash + 1));
        observer.reconciled(r.error() != null ? "error" : r.requeueAfter() != null ? "requeued" : "ok",
                Duration.ofNanos(System.nanoTime() - t0));
        if (r.error() != null) {
            LOG.log(Level.FINE, "retrying " + key + ": " + r.error().getMessage());
            queue.addRateLimited(key);
        } else {
            queue.forget(key);
            if (r.requeueAfter() != null) {
                queue.addAfter(key, r.requeueAfter());
            }
        }
    }

    /** Readiness: both caches hold the full initial list. */
    public boolean synced() {
        return images.hasSynced() && secrets.hasSynced();
    }

    /** Liveness: the queue moves. */
    public boolean stalled(Duration limit) {
        return queue.stalled(limit);
    }

    @Override
    public void close() {
        queue.shutDown();
        images.close();
        secrets.close();
        client.close();
    }
}
