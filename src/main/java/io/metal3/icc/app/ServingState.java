package io.metal3.icc.app;

import java.util.function.BooleanSupplier;

import jakarta.enterprise.context.ApplicationScoped;

/** What the health checks report: set by the start-up singleton for the mode it started. */
@ApplicationScoped
public class ServingState {
    private volatile String detail = "starting";
    private volatile BooleanSupplier ready = () -> false;
    private volatile BooleanSupplier live = () -> true;

    public void started(String detail, BooleanSupplier ready, BooleanSupplier live) {
        this.detail = detail;
        this.ready = ready;
        this.live = live;
    }

    public boolean isReady() {
        return ready.getAsBoolean();
    }

    public boolean isLive() {
        return live.getAsBoolean();
    }

    public String detail() {
        return detail;
    }
}
