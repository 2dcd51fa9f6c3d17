package io.metal3.icc.app;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * What the health checks report: set by the start-up singleton for the mode it started. /health is
 * unauthenticated, so this holds states, counts and reasons, never paths or secrets.
 */
@ApplicationScoped
public class ServingState {

    /** Readiness as reported: up or not, why, and this replica's role. */
    public record Readiness(boolean up, String reason, String role) {
    }

    private volatile Supplier<Readiness> ready = () -> new Readiness(false, "starting", "");
    private volatile BooleanSupplier live = () -> true;
    private volatile boolean stopping;
    private volatile long graceEndsNanos;

    public void started(Supplier<Readiness> ready, BooleanSupplier live) {
        this.ready = ready;
        this.live = live;
    }

    /**
     * From the first moment of shutdown on, not ready: no new work should be sent here. Responses
     * under way may run for {@code grace}; Liberty's own quiesce period is a fixed 30 s.
     */
    public void stopping(java.time.Duration grace) {
        graceEndsNanos = System.nanoTime() + grace.toNanos();
        stopping = true;
    }

    public boolean isStopping() {
        return stopping;
    }

    /** True once the shutdown grace period is over: responses still being written are ended. */
    public boolean shutdownGraceOver() {
        return stopping && System.nanoTime() - graceEndsNanos > 0;
    }

    public Readiness readiness() {
        return stopping ? new Readiness(false, "shutting down", "") : ready.get();
    }

    public boolean isLive() {
        return live.getAsBoolean();
    }
}
