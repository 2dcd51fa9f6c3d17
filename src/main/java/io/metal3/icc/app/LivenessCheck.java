package io.metal3.icc.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Down when the reconcile queue has work but has not finished anything for minutes. */
@Liveness
@ApplicationScoped
public class LivenessCheck implements HealthCheck {

    @Inject
    ServingState state;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("reconcile-queue").status(state.isLive()).build();
    }
}
