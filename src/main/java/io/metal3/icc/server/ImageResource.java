package io.metal3.icc.server;

import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.config.Config;

import io.metal3.icc.config.Settings;
import io.metal3.icc.registry.ImageRegistry;
import io.metal3.icc.serving.ImageResponder;
import io.metal3.icc.serving.ImageResponse;
import io.metal3.icc.serving.ServingState;
import io.metal3.icc.serving.Telemetry;

/** {@code GET|HEAD /{name}}: the JAX-RS face of {@link ImageResponder}. There is no listing. */
@Path("/")
@ApplicationScoped
public class ImageResource {

    /** The access log's logger (ICC_ACCESS_LOG, or this logger's level, turns it off). */
    private static final Logger ACCESS = Logger.getLogger("io.metal3.icc.access");

    @Inject
    Config config;

    @Inject
    ImageRegistry registry;

    @Inject
    Telemetry telemetry;

    @Inject
    ServingState state;

    private ImageResponder responder;

    @PostConstruct
    void start() {
        Settings.Server server = Settings.process(name -> config.getOptionalValue(name, String.class));
        Settings.AccessLogMode mode = server.accessLog();
        if (!ACCESS.isLoggable(Level.INFO)) {
            mode = Settings.AccessLogMode.OFF;
        }
        responder = new ImageResponder(registry, state, telemetry, mode, ImageResource::logAccess,
                server.maxConcurrentRequests());
    }

    /** A ready record: through Logger.logp, Liberty builds its own (with context extensions), which costs more per line. */
    private static void logAccess(String line) {
        LogRecord record = new LogRecord(Level.INFO, line);
        record.setLoggerName(ACCESS.getName());
        record.setSourceClassName(ImageResource.class.getName());
        record.setSourceMethodName("access");
        ACCESS.log(record);
    }

    @PreDestroy
    void stop() {
        responder.close();
    }

    @GET
    @Path("{name}")
    public Response get(@Context UriInfo uri, @PathParam("name") String name, @HeaderParam("Range") String range,
                        @HeaderParam("If-Range") String ifRange, @HeaderParam("If-None-Match") String ifNoneMatch,
                        @HeaderParam("If-Match") String ifMatch) {
        return jaxrs(responder.respond(uri.getPath(false), name, range, ifRange, ifNoneMatch, ifMatch, true));
    }

    @HEAD
    @Path("{name}")
    public Response head(@Context UriInfo uri, @PathParam("name") String name, @HeaderParam("Range") String range,
                         @HeaderParam("If-Range") String ifRange, @HeaderParam("If-None-Match") String ifNoneMatch,
                         @HeaderParam("If-Match") String ifMatch) {
        return jaxrs(responder.respond(uri.getPath(false), name, range, ifRange, ifNoneMatch, ifMatch, false));
    }

    private static Response jaxrs(ImageResponse r) {
        Response.ResponseBuilder rb = Response.status(r.status());
        r.headers().forEach(rb::header);
        Optional.ofNullable(r.contentType()).ifPresent(rb::type);
        if (r.text() != null) {
            rb.entity(r.text());
        } else if (r.body() != null) {
            ImageResponse.Body body = r.body();
            rb.entity((StreamingOutput) body::writeTo);
        }
        return rb.build();
    }

    /** RESTEasy formats its resource's name for every request (SingletonResource.traceInfo): keep it cheap. */
    @Override
    public String toString() {
        return "ImageResource";
    }
}
