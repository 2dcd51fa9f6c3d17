package io.metal3.icc.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Static mode: images registered. Controller mode: informers synced and host base images present. */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    @Inject
    ServingState state;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("images")
                .status(state.isReady())
                .withData("detail", state.detail())
                .build();
    }
}
