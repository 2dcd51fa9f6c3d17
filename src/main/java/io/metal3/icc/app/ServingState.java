package io.metal3.icc.app;

import jakarta.enterprise.context.ApplicationScoped;

/** Whether images are being served yet, for the readiness check. */
@ApplicationScoped
public class ServingState {
    private volatile String readyDetail;

    public void ready(String detail) {
        this.readyDetail = detail;
    }

    public boolean isReady() {
        return readyDetail != null;
    }

    public String detail() {
        return readyDetail == null ? "starting" : readyDetail;
    }
}
