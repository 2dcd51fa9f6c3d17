package io.metal3.icc.serving;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.metal3.icc.metrics.MetricRegistry;
import io.metal3.icc.metrics.Timer;
import io.metal3.icc.registry.ImageRegistry;

/**
 * The application's metrics (under /metrics?scope=application), with the names and labels
 * MicroProfile Metrics gave them, so k8s/monitoring's alerts and dashboard read them unchanged.
 */
@ApplicationScoped
public class Telemetry implements RequestMetrics {

    /** Statuses the image endpoint answers with; counters are looked up once, not per request. */
    private static final int[] STATUSES = {200, 206, 304, 404, 416, 503};
    private static final String REQUESTS = "icc_image_requests_total";
    private static final String REQUESTS_HELP = "Image requests (GET and HEAD) by response status";

    @Inject
    ImageRegistry images;

    @Inject
    ServingState state;

    private final MetricRegistry metrics = new MetricRegistry();

    /** Whether this replica leads; a single replica always does. Set by the start-up singleton. */
    private volatile BooleanSupplier leading = () -> true;

    private final AtomicInteger activeStreams = new AtomicInteger();
    private final Map<Integer, LongAdder> requestsByStatus = new HashMap<>();
    private LongAdder requestsOther;
    private LongAdder bytesServed;
    private LongAdder throttled;
    private Timer reconcileTime;

    @PostConstruct
    void register() {
        metrics.gauge("icc_ready", "1 when /health/ready is UP", () -> state.readiness().up() ? 1 : 0);
        metrics.gauge("icc_leader", "1 when this replica leads (writes statuses); a single replica always does",
                () -> leading.getAsBoolean() ? 1 : 0);
        metrics.gauge("icc_images_registered", "Images being served", images::size);
        metrics.gauge("icc_active_streams", "Image responses being written", activeStreams::get);
        bytesServed = metrics.counter("icc_bytes_served_bytes_total", "Image bytes written to clients");
        throttled = metrics.counter("icc_image_requests_throttled_total",
                "Image requests answered 503 because MAX_CONCURRENT_REQUESTS responses were being written");
        for (int status : STATUSES) {
            requestsByStatus.put(status, metrics.counter(REQUESTS, REQUESTS_HELP, "status", Integer.toString(status)));
        }
        requestsOther = metrics.counter(REQUESTS, REQUESTS_HELP, "status", "other");
        reconcileTime = metrics.timer("icc_reconcile_duration_seconds",
                "Time per PreprovisioningImage reconcile, image build included");
    }

    public MetricRegistry registry() {
        return metrics;
    }

    public void leadership(BooleanSupplier leading) {
        this.leading = leading;
    }

    /** @param result ok, requeued, error, or served (a follower's pass) */
    public void reconciled(String result, Duration took) {
        metrics.counter("icc_reconciles_total", "Reconciles by result", "result", result).increment();
        reconcileTime.record(took.toNanos());
    }

    /** Counted here, not by Liberty's per-request HTTP monitor, which would cost every range request. */
    @Override
    public void imageRequest(int status) {
        requestsByStatus.getOrDefault(status, requestsOther).increment();
    }

    @Override
    public void throttled() {
        throttled.increment();
    }

    @Override
    public void streamStarted() {
        activeStreams.incrementAndGet();
    }

    @Override
    public void streamEnded(long bytes) {
        activeStreams.decrementAndGet();
        bytesServed.add(bytes);
    }
}
