package io.metal3.icc.serving;

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
    private volatile boolean draining;
    private volatile boolean stopping;
    private volatile long graceEndsNanos;

    public void started(Supplier<Readiness> ready, BooleanSupplier live) {
        this.ready = ready;
        this.live = live;
    }

    /**
     * The pod is being deleted (its preStop hook asked for a drain): keep serving, but report not
     * ready and end each keep-alive connection after its next response, so that balancers and
     * clients move to another replica before the port closes. One-way: SIGTERM follows.
     */
    public void draining() {
        draining = true;
    }

    public boolean isDraining() {
        return draining;
    }

    /** Whether responses should end their connection ({@code Connection: close}). */
    public boolean closesConnections() {
        return draining || stopping;
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
        if (stopping) {
            return new Readiness(false, "shutting down", "");
        }
        return draining ? new Readiness(false, "draining before shutdown", "") : ready.get();
    }

    public boolean isLive() {
        return live.getAsBoolean();
    }
}
