package io.metal3.icc.server;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Images are served at the root, as upstream: {@code <publish-addr>/<name>}. */
@ApplicationPath("/")
@ApplicationScoped
public class ImagesApplication extends Application {

    @Inject
    ImageResource images;

    @Inject
    MetricsResource metrics;

    @Inject
    ConnectionCloseFilter connectionClose;

    /**
     * The resource as a singleton: otherwise RESTEasy asks CDI for the bean on every request, a
     * measurable share of a small range request.
     */
    @Override
    public Set<Object> getSingletons() {
        return Set.of(images, metrics, connectionClose);
    }
}
