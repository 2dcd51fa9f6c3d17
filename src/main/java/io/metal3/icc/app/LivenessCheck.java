package io.metal3.icc.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import io.metal3.icc.serving.ServingState;

/**
 * Down only when the controller is wedged: work waiting in the reconcile queue and nothing finished
 * for {@link ControllerMode#WEDGED_AFTER}. An unreachable API server is not a reason to restart (reconciles
 * fail fast and count as progress; images already known are still served).
 */
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
