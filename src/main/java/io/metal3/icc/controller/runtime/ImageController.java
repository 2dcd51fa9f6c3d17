package io.metal3.icc.controller.runtime;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.metal3.icc.controller.Reconciler;
import io.metal3.icc.controller.StatusMirror;
import io.metal3.icc.crd.PreprovisioningImage;
import io.metal3.icc.log.OneLineRepeatFilter;
import io.metal3.icc.provider.ImageProvider;

/**
 * Watches PreprovisioningImages (without the infraenv label) and the labelled network Secrets, in one
 * namespace or all, and handles each changed image on a work queue: the leader reconciles (and
 * writes), every other replica serves what the statuses say ({@link StatusMirror}). Lists and watches
 * are retried for as long as the API server cannot be reached, at start and later.
 */
public final class ImageController implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ImageController.class.getName());
    /** fabric8 logs each failed list/watch as well; {@link #retry} already says it, with the reason. */
    private static final Logger REFLECTOR_LOG =
            Logger.getLogger("io.fabric8.kubernetes.client.informers.impl.cache.Reflector");

    static {
        REFLECTOR_LOG.setFilter(r -> r.getMessage() == null || !r.getMessage().endsWith("will retry"));
    }
    /** controller-runtime's default informer resync. */
    static final long RESYNC_MILLIS = TimeUnit.HOURS.toMillis(10);

    private final KubernetesClient client;
    private final WorkQueue queue = new WorkQueue();
    private final SharedIndexInformer<PreprovisioningImage> images;
    private final SharedIndexInformer<Secret> secrets;
    private final Reconciler reconciler;
    private final StatusMirror mirror;
    private final int workers;
    private final Observer observer;
    private final BooleanSupplier leading;
    private final InitialSync initial = new InitialSync();
    private volatile String apiProblem;
    private volatile boolean closed;

    /** Told the outcome of every reconcile (for metrics). */
    public interface Observer {
        /** @param result ok, requeued, error, or served (a follower's pass) */
        void reconciled(String result, Duration took);
    }

    /** What readiness reports: a state and a reason, never paths or secrets. */
    public record Health(boolean ready, String reason) {
    }

    public ImageController(KubernetesClient client, Optional<String> namespace, ImageProvider provider, int workers) {
        this(client, namespace, provider, workers, (r, t) -> { }, () -> true);
    }

    /** @param leading whether this replica may write (always true without leader election) */
    public ImageController(KubernetesClient client, Optional<String> namespace, ImageProvider provider, int workers,
                           Observer observer, BooleanSupplier leading) {
        this.client = client;
        this.workers = workers;
        this.observer = observer;
        this.leading = leading;
        var ppis = namespace.isPresent()
                ? client.resources(PreprovisioningImage.class).inNamespace(namespace.get())
                : client.resources(PreprovisioningImage.class).inAnyNamespace();
        this.images = ppis.withLabelSelector(new LabelSelectorBuilder().addNewMatchExpression()
                .withKey(PreprovisioningImage.INFRAENV_LABEL).withOperator("DoesNotExist").endMatchExpression().build())
                .runnableInformer(RESYNC_MILLIS);
        var secretOps = namespace.isPresent() ? client.secrets().inNamespace(namespace.get()) : client.secrets().inAnyNamespace();
        this.secrets = secretOps.withLabel(Reconciler.SECRET_LABEL, Reconciler.SECRET_LABEL_VALUE)
                .runnableInformer(RESYNC_MILLIS);
        KubernetesCluster cluster = new KubernetesCluster(client, images, secrets);
        this.reconciler = new Reconciler(cluster, provider, Clock.systemUTC());
        this.mirror = new StatusMirror(cluster, provider);
        images.exceptionHandler((started, t) -> retry("PreprovisioningImages", started, t));
        secrets.exceptionHandler((started, t) -> retry("network Secrets", started, t));
        images.addEventHandler(handler(this::enqueue));
        secrets.addEventHandler(handler(this::enqueueOwners));
    }

    /**
     * fabric8 gives up on an informer whose first list fails; this keeps it trying (its own capped
     * exponential backoff), one log line per attempt.
     */
    private boolean retry(String what, boolean started, Throwable t) {
        if (closed) {
            return false;
        }
        String reason = OneLineRepeatFilter.causes(t);
        apiProblem = "cannot " + (started ? "watch " : "list ") + what + ": " + reason;
        LOG.warning("Kubernetes API: " + apiProblem + "; retrying with backoff (at most "
                + KubernetesClients.MAX_RETRY_INTERVAL.toSeconds() + " s apart)" + (started
                ? "; images already known are still served" : ""));
        return true;
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
        queue.run(workers, this::process);
        CompletableFuture<Void> imagesSynced = images.start().toCompletableFuture();
        CompletableFuture<Void> secretsSynced = secrets.start().toCompletableFuture();
        CompletableFuture.allOf(imagesSynced, secretsSynced).whenComplete((v, t) -> {
            if (t != null) {
                LOG.log(Level.SEVERE, "informers stopped: " + OneLineRepeatFilter.causes(t));
                return;
            }
            initial.expect(images.getIndexer().listKeys());
            apiProblem = null;
            LOG.info("listed " + initial.total() + " PreprovisioningImages; serving their images once each is handled");
        });
        LOG.info("watching PreprovisioningImages and network Secrets with " + workers + " workers");
    }

    /** Leadership changed: every image is handled again in its new role. */
    public void leadershipChanged() {
        images.getIndexer().listKeys().forEach(queue::add);
    }

    private void process(String key) {
        int slash = key.indexOf('/');
        String namespace = key.substring(0, slash);
        String name = key.substring(slash + 1);
        long t0 = System.nanoTime();
        if (!leading.getAsBoolean()) {
            mirror.serve(namespace, name);
            initial.handled(key);
            observer.reconciled("served", Duration.ofNanos(System.nanoTime() - t0));
            queue.forget(key);
            return;
        }
        Reconciler.Result r = reconciler.reconcile(namespace, name);
        initial.handled(key);
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

    /** Ready once both caches are filled and every image of the first list has been served again. */
    public Health health() {
        if (!images.hasSynced() || !secrets.hasSynced() || !initial.listed()) {
            String problem = apiProblem;
            return new Health(false, problem == null ? "waiting for the first list of PreprovisioningImages and Secrets"
                    : "waiting for the Kubernetes API: " + problem);
        }
        if (!initial.done()) {
            return new Health(false, "serving the images of existing PreprovisioningImages again: "
                    + initial.remaining() + " of " + initial.total() + " left");
        }
        String problem = images.isWatching() && secrets.isWatching() ? null : apiProblem;
        return new Health(true, problem == null ? "watching" : "serving known images; " + problem);
    }

    /** Liveness: the queue moves. */
    public boolean stalled(Duration limit) {
        return queue.stalled(limit);
    }

    @Override
    public void close() {
        closed = true;
        queue.shutDown();
        images.close();
        secrets.close();
    }
}
