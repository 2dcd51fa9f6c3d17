package io.metal3.icc.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.metal3.icc.registry.ImageRegistry;
import io.metal3.icc.serving.ServingState;

/**
 * Static mode: images registered. Controller mode: caches synced and every image URL already in a
 * status served here again (the host base images present).
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    @Inject
    ServingState state;

    @Inject
    ImageRegistry registry;

    @Override
    public HealthCheckResponse call() {
        ServingState.Readiness r = state.readiness();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("images").status(r.up())
                .withData("reason", r.reason())
                .withData("images", registry.size());
        if (!r.role().isEmpty()) {
            b.withData("role", r.role());
        }
        return b.build();
    }
}
