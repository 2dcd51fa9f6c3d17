package io.metal3.icc.app;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

import io.metal3.icc.registry.ImageRegistry;

/** The application's MicroProfile metrics (under /metrics?scope=application). */
@ApplicationScoped
public class Telemetry {

    /** Statuses the image endpoint answers with; counters are looked up once, not per request. */
    private static final int[] STATUSES = {200, 206, 304, 404, 416, 503};

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry metrics;

    @Inject
    ImageRegistry images;

    @Inject
    ServingState state;

    /** Whether this replica leads; a single replica always does. Set by the start-up singleton. */
    private volatile java.util.function.BooleanSupplier leading = () -> true;

    private final AtomicInteger activeStreams = new AtomicInteger();
    private final Map<Integer, Counter> requestsByStatus = new HashMap<>();
    private Counter requestsOther;
    private Counter bytesServed;
    private Timer reconcileTime;

    @PostConstruct
    void register() {
        bytesServed = metrics.counter(Metadata.builder().withName("icc_bytes_served")
                .withDescription("Image bytes written to clients").withUnit(MetricUnits.BYTES).build());
        reconcileTime = metrics.timer(Metadata.builder().withName("icc_reconcile_duration")
                .withDescription("Time per PreprovisioningImage reconcile, image build included").build());
        Metadata requests = Metadata.builder().withName("icc_image_requests")
                .withDescription("Image requests (GET and HEAD) by response status").build();
        for (int status : STATUSES) {
            requestsByStatus.put(status, metrics.counter(requests, new Tag("status", Integer.toString(status))));
        }
        requestsOther = metrics.counter(requests, new Tag("status", "other"));
        metrics.gauge(Metadata.builder().withName("icc_images_registered").withDescription("Images being served").build(),
                images, ImageRegistry::size);
        metrics.gauge(Metadata.builder().withName("icc_active_streams").withDescription("Image responses being written").build(),
                activeStreams, AtomicInteger::get);
        // For alerts: /health is for the kubelet, Prometheus reads these.
        metrics.gauge(Metadata.builder().withName("icc_ready").withDescription("1 when /health/ready is UP").build(),
                state, s -> s.readiness().up() ? 1 : 0);
        metrics.gauge(Metadata.builder().withName("icc_leader")
                .withDescription("1 when this replica leads (writes statuses); a single replica always does").build(),
                this, t -> t.leading.getAsBoolean() ? 1 : 0);
    }

    public void leadership(java.util.function.BooleanSupplier leading) {
        this.leading = leading;
    }

    /** @param result ok, requeued, error, or served (a follower's pass) */
    public void reconciled(String result, Duration took) {
        metrics.counter(Metadata.builder().withName("icc_reconciles").withDescription("Reconciles by result").build(),
                new Tag("result", result)).inc();
        reconcileTime.update(took);
    }

    /** Liberty's per-request HTTP metrics are off (server.xml): this is the cheap replacement. */
    public void imageRequest(int status) {
        requestsByStatus.getOrDefault(status, requestsOther).inc();
    }

    public void streamStarted() {
        activeStreams.incrementAndGet();
    }

    public void streamEnded(long bytes) {
        activeStreams.decrementAndGet();
        bytesServed.inc(bytes);
    }
}
