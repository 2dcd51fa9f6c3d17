package io.metal3.icc.controller.runtime;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;

/**
 * Leader election over a coordination.k8s.io/v1 Lease (fabric8's LeaderElector, client-go's
 * timings). Losing the lease does not stop this replica: it keeps serving images and stands for
 * election again. Closing releases the lease so that another replica leads at once.
 */
public final class LeaseLeadership implements BooleanSupplier, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LeaseLeadership.class.getName());
    /** fabric8 logs each failed acquire with a stack trace, every retry period: one line a minute is enough. */
    private static final Logger ELECTOR_LOG = Logger.getLogger(LeaderElector.class.getName());

    static {
        ELECTOR_LOG.setFilter(new io.metal3.icc.log.OneLineRepeatFilter());
    }
    public static final Duration LEASE_DURATION = Duration.ofSeconds(15);
    static final Duration RENEW_DEADLINE = Duration.ofSeconds(10);
    static final Duration RETRY_PERIOD = Duration.ofSeconds(2);

    private final KubernetesClient client;
    private final String namespace;
    private final String leaseName;
    private final String identity;
    private final Runnable changed;
    private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "icc-leader-election");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean leading;
    private volatile boolean closed;
    private LeaderElector elector;
    private CompletableFuture<?> running;

    /** @param changed called when this replica starts or stops leading */
    public LeaseLeadership(KubernetesClient client, String namespace, String leaseName, String identity, Runnable changed) {
        this.client = client;
        this.namespace = namespace;
        this.leaseName = leaseName;
        this.identity = identity;
        this.changed = changed;
    }

    public synchronized void start() {
        if (closed) {
            return;
        }
        elector = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName(leaseName)
                .withLock(new LeaseLock(namespace, leaseName, identity))
                .withLeaseDuration(LEASE_DURATION)
                .withRenewDeadline(RENEW_DEADLINE)
                .withRetryPeriod(RETRY_PERIOD)
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(this::startedLeading, this::stoppedLeading, id -> { }))
                .build()).build();
        running = elector.start();
        running.whenComplete((v, t) -> {
            if (!closed) {
                // fabric8's elector ends once leadership is lost; stand again.
                restarts.schedule(this::start, RETRY_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
        LOG.info("leader election: Lease " + namespace + "/" + leaseName + " as " + identity);
    }

    private void startedLeading() {
        leading = true;
        LOG.info("leader election: " + identity + " leads now (Lease " + namespace + "/" + leaseName + ")");
        changed.run();
    }

    private void stoppedLeading() {
        if (leading) {
            leading = false;
            LOG.info("leader election: " + identity + " no longer leads; it keeps serving images");
            changed.run();
        }
    }

    @Override
    public boolean getAsBoolean() {
        return leading;
    }

    /** Steps down and releases the Lease (idempotent). */
    @Override
    public void close() {
        LeaderElector e;
        CompletableFuture<?> r;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            e = elector;
            r = running;
        }
        restarts.shutdownNow();
        boolean wasLeading = leading;
        leading = false;
        if (r != null) {
            r.cancel(true);
        }
        if (e != null && wasLeading) {
            try {
                e.release();
                LOG.info("leader election: Lease " + namespace + "/" + leaseName + " released");
            } catch (RuntimeException ex) {
                LOG.warning("leader election: cannot release Lease " + namespace + "/" + leaseName + ": "
                        + ex.getMessage() + "; another replica leads once it expires");
            }
        }
    }
}
