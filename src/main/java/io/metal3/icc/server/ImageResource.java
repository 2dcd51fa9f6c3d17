package io.metal3.icc.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
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
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;

import io.metal3.icc.app.ServingState;
import io.metal3.icc.app.Telemetry;
import io.metal3.icc.http.ServePlan;
import io.metal3.icc.http.ServePlanner;
import io.metal3.icc.image.CountingOutputStream;
import io.metal3.icc.image.EmbedAreaTooSmallException;
import io.metal3.icc.image.InvalidBaseImageException;
import io.metal3.icc.log.RepeatFilter;
import io.metal3.icc.registry.ImageRegistry;
import io.metal3.icc.registry.RegisteredImage;
import io.metal3.icc.registry.ServedImage;

/**
 * {@code GET|HEAD /{name}}: the image generated on the fly from its segment list. Names are looked up
 * in the registry only; nothing is resolved against the file system. There is no listing.
 */
@Path("/")
@ApplicationScoped
public class ImageResource {

    private static final Logger LOG = Logger.getLogger(ImageResource.class.getName());
    /**
     * ICC_ACCESS_LOG: true (default) a line per request, ranged GETs (206) summed per image every 10 s;
     * all: a line per request, ranges too; false (or this logger's level): none.
     */
    private static final Logger ACCESS = Logger.getLogger("io.metal3.icc.access");
    private static final String ACCESS_LOG_MODE = System.getenv().getOrDefault("ICC_ACCESS_LOG", "true")
            .toLowerCase(Locale.ROOT);
    private static final boolean ACCESS_LOG = !"false".equals(ACCESS_LOG_MODE);
    private static final boolean SUMMARISE_RANGES = !"all".equals(ACCESS_LOG_MODE);
    /** Per-stream copy buffer: the only memory a stream holds, whatever the image or range size. */
    static final int BUFFER_SIZE = 256 * 1024;
    /**
     * Range requests (BMC virtual media: thousands of 64 KiB reads) copy through a buffer kept per
     * request thread: a fresh one each time was most of the garbage per request (~125 young GCs in
     * 10 s of 64 KiB ranges). A request thread runs one response at a time.
     */
    static final int SMALL_BUFFER_SIZE = 64 * 1024;
    private static final ThreadLocal<byte[]> SMALL_BUFFER = ThreadLocal.withInitial(() -> new byte[SMALL_BUFFER_SIZE]);

    @Inject
    ImageRegistry registry;

    @Inject
    Telemetry telemetry;

    @Inject
    ServingState state;

    private AccessLog accessLog;
    private final BaseChannels channels = new BaseChannels();
    private final RepeatFilter baseProblems = new RepeatFilter(TimeUnit.MINUTES.toNanos(1));

    @PostConstruct
    void startAccessLog() {
        accessLog = new AccessLog(ImageResource::logAccess, AccessLog.DEFAULT_CAPACITY);
    }

    /** A ready record: through Logger.logp, Liberty builds its own (context extensions): 8 vs 5.4 us a line. */
    private static void logAccess(String line) {
        LogRecord record = new LogRecord(Level.INFO, line);
        record.setLoggerName(ACCESS.getName());
        record.setSourceClassName(ImageResource.class.getName());
        record.setSourceMethodName("access");
        ACCESS.log(record);
    }

    @PreDestroy
    void stopAccessLog() {
        accessLog.close();
        channels.close();
    }

    @GET
    @Path("{name}")
    public Response get(@Context UriInfo uri,
                        @PathParam("name") String name,
                        @HeaderParam("Range") String range,
                        @HeaderParam("If-Range") String ifRange,
                        @HeaderParam("If-None-Match") String ifNoneMatch) {
        return respond(uri, name, range, ifRange, ifNoneMatch, true);
    }

    @HEAD
    @Path("{name}")
    public Response head(@Context UriInfo uri,
                         @PathParam("name") String name,
                         @HeaderParam("Range") String range,
                         @HeaderParam("If-Range") String ifRange,
                         @HeaderParam("If-None-Match") String ifNoneMatch) {
        return respond(uri, name, range, ifRange, ifNoneMatch, false);
    }

    private Response respond(UriInfo uri, String name, String range, String ifRange, String ifNoneMatch,
                             boolean withBody) {
        long t0 = System.nanoTime();
        RegisteredImage image = isSingleSegment(uri.getPath(false)) ? registry.find(name).orElse(null) : null;
        if (image == null) {
            access(withBody, name, range, 404, 0, t0);
            return text(Response.Status.NOT_FOUND, "no such image\n");
        }
        ServedImage served;
        try {
            served = image.current();
        } catch (InvalidBaseImageException | EmbedAreaTooSmallException e) {
            channels.forget(image.basePath());
            String line = baseProblems.admit("cannot serve image " + loggable(name) + ": " + e.getMessage(),
                    System.nanoTime());
            if (line != null) {
                LOG.severe(line);
            }
            access(withBody, name, range, 503, 0, t0);
            return text(Response.Status.SERVICE_UNAVAILABLE, "image unavailable: base image problem\n");
        }
        ServePlan plan = ServePlanner.plan(served.layout().size(), served.etag(), range, ifRange, ifNoneMatch);
        Response.ResponseBuilder rb = Response.status(plan.status())
                .header(HttpHeaders.ETAG, served.etag())
                .header("Accept-Ranges", "bytes");
        if (plan.status() == 304) {
            access(withBody, name, range, 304, 0, t0);
            // Liberty's HTTP channel writes Content-Length: 0 on every 304 (RFC 9110 §8.6 allows only the
            // full length); neither a JAX-RS header nor the servlet response changes that.
            return rb.build();
        }
        if (plan.contentRange() != null) {
            rb.header("Content-Range", plan.contentRange());
        }
        rb.header(HttpHeaders.CONTENT_LENGTH, plan.contentLength());
        if (plan.contentType() != null) {
            rb.type(plan.contentType());
        }
        if (withBody && plan.contentLength() > 0) {
            rb.entity(body(image.name(), served, plan, range, t0));
        } else {
            access(withBody, name, range, plan.status(), 0, t0);
        }
        return rb.build();
    }

    private StreamingOutput body(String name, ServedImage served, ServePlan plan, String range, long t0) {
        return out -> {
            CountingOutputStream counted = new CountingOutputStream(new GraceOutputStream(out, state));
            telemetry.streamStarted();
            BaseChannels.Shared base = null;
            try {
                base = channels.acquire(served.base());
                byte[] buffer = plan.contentLength() <= 4L * SMALL_BUFFER_SIZE
                        ? SMALL_BUFFER.get() : new byte[BUFFER_SIZE];
                for (ServePlan.Part part : plan.body()) {
                    write(part, served, base.channel, counted, buffer);
                }
            } catch (ClosedChannelException e) {
                // The shared channel was closed under us (an interrupted reader closes it for all):
                // the next response opens the file again.
                channels.forget(served.base().path());
                throw e;
            } catch (IOException e) {
                // Mostly clients that went away; the channel is given back either way.
                LOG.log(Level.FINE, "stream of " + name + " ended early: " + e);
                throw e;
            } finally {
                if (base != null) {
                    channels.release(base);
                }
                telemetry.streamEnded(counted.count());
                access(true, name, range, plan.status(), counted.count(), t0);
            }
        };
    }

    private void access(boolean get, String name, String range, int status, long bytes, long t0) {
        telemetry.imageRequest(status);
        if (!ACCESS_LOG || !ACCESS.isLoggable(Level.INFO)) {
            return;
        }
        if (get && status == 206 && SUMMARISE_RANGES) {
            accessLog.range(name, loggable(name), bytes, System.nanoTime() - t0);
        } else {
            accessLog.record((get ? "GET " : "HEAD ") + loggable(name) + " range=" + (range == null ? "-" : range)
                    + " status=" + status + " bytes=" + bytes + " ms=" + (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /**
     * Names are matched exactly: JAX-RS would also route {@code /name/} and {@code /name;param} to
     * {@code {name}}, which must not serve the image.
     */
    static boolean isSingleSegment(String rawPath) {
        return rawPath != null && rawPath.length() > 1 && rawPath.charAt(0) == '/'
                && rawPath.indexOf('/', 1) < 0 && rawPath.indexOf(';') < 0;
    }

    /** Controller-mode names are capabilities (the image holds the pull secret): log a prefix only. */
    static String loggable(String name) {
        if (name == null) {
            return "-";
        }
        if (name.endsWith(".iso") || name.endsWith(".initramfs") || name.startsWith("kernel-")) {
            return name; // static-mode names and PXE kernels are not secrets
        }
        return name.length() > 8 ? name.substring(0, 8) + "..." : name;
    }

    private static void write(ServePlan.Part part, ServedImage served, FileChannel base, OutputStream out,
                              byte[] buffer) throws IOException {
        if (part instanceof ServePlan.Literal literal) {
            out.write(literal.bytes());
        } else if (part instanceof ServePlan.Slice slice) {
            served.layout().write(base, slice.from(), slice.length(), out, buffer);
        }
    }

    /** RESTEasy formats its resource's name for every request (SingletonResource.traceInfo): keep it cheap. */
    @Override
    public String toString() {
        return "ImageResource";
    }

    private static Response text(Response.Status status, String message) {
        return Response.status(status).type(MediaType.TEXT_PLAIN_TYPE).entity(message).build();
    }
}
