package io.metal3.icc.app;

import io.metal3.icc.serving.ServingState;

/** A started mode: what the health checks report of it, and how it stops. */
interface Mode extends AutoCloseable {

    ServingState.Readiness readiness();

    /** False when the mode is wedged and a restart would help. */
    boolean live();

    /** Stops taking part in leader election (drain, SIGTERM); serving goes on. Idempotent. */
    void stepDown();

    @Override
    void close();
}
