package io.metal3.icc.server;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.metal3.icc.metrics.Exposition;
import io.metal3.icc.metrics.JvmMetrics;
import io.metal3.icc.serving.Telemetry;

/**
 * {@code GET /metrics[?scope=application|base|vendor]} for Prometheus, without login. Written by the
 * application rather than Liberty's mpMetrics feature, which with what it pulls in (monitor, SSL,
 * a session per scrape) cost idle memory and start-up time (bench/results/footprint.txt measures the
 * server); names and labels are those mpMetrics used.
 */
@Path("/metrics")
@ApplicationScoped
public class MetricsResource {

    private static final List<String> APPLICATION = List.of("mp_scope", "application");
    private static final List<String> BASE = List.of("mp_scope", "base");

    @Inject
    Telemetry telemetry;

    @GET
    public Response metrics(@QueryParam("scope") String scope) {
        if (scope != null && !List.of("application", "base", "vendor").contains(scope)) {
            return Response.status(Response.Status.NOT_FOUND).type(MediaType.TEXT_PLAIN_TYPE)
                    .entity("no such scope: use application, base or vendor (empty), or none for all\n").build();
        }
        Exposition out = new Exposition();
        if (scope == null || scope.equals("base")) {
            JvmMetrics.write(out, BASE);
        }
        if (scope == null || scope.equals("application")) {
            telemetry.registry().write(out, APPLICATION);
        }
        return Response.ok(out.toString(), Exposition.CONTENT_TYPE).build();
    }

    @Override
    public String toString() {
        return "MetricsResource";
    }
}
