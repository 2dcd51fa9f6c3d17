package io.metal3.icc.serving;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.ClosedChannelException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.metal3.icc.config.Settings;
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
 * {@code GET|HEAD /{name}}: looks the name up in the registry (never on the file system), plans the
 * answer and streams the image from its segment list into any OutputStream. Knows nothing of the
 * HTTP framework, so every case is tested by writing into a byte array.
 */
public final class ImageResponder implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ImageResponder.class.getName());
    /** Per-stream copy buffer: the only memory a stream holds, whatever the image or range size. */
    static final int BUFFER_SIZE = 256 * 1024;
    /**
     * Range requests (BMC virtual media: thousands of small reads) copy through a buffer kept per
     * request thread: a fresh one each time was most of the garbage per request. A request thread
     * runs one response at a time.
     */
    static final int SMALL_BUFFER_SIZE = 64 * 1024;
    private static final ThreadLocal<byte[]> SMALL_BUFFER = ThreadLocal.withInitial(() -> new byte[SMALL_BUFFER_SIZE]);

    private final ImageRegistry registry;
    private final ServingState state;
    private final RequestMetrics metrics;
    private final Settings.AccessLogMode accessMode;
    private final AccessLog accessLog;
    private final BaseChannels channels = new BaseChannels();
    private final RepeatFilter baseProblems = new RepeatFilter(TimeUnit.MINUTES.toNanos(1));
    /** Image responses that may be written at once; null: no cap. */
    private final Semaphore slots;
    /** What a client is told to wait before it asks again, in seconds. */
    static final String RETRY_AFTER = "5";

    /** @param accessLines where access-log lines go (written by a background thread) */
    public ImageResponder(ImageRegistry registry, ServingState state, RequestMetrics metrics,
                          Settings.AccessLogMode accessMode, Consumer<String> accessLines) {
        this(registry, state, metrics, accessMode, accessLines, 0);
    }

    /** @param maxConcurrent image responses written at once; beyond, 503 with Retry-After (0: no cap) */
    public ImageResponder(ImageRegistry registry, ServingState state, RequestMetrics metrics,
                          Settings.AccessLogMode accessMode, Consumer<String> accessLines, int maxConcurrent) {
        this.slots = maxConcurrent > 0 ? new Semaphore(maxConcurrent) : null;
        this.registry = registry;
        this.state = state;
        this.metrics = metrics;
        this.accessMode = accessMode;
        this.accessLog = new AccessLog(accessLines, AccessLog.DEFAULT_CAPACITY);
    }

    /**
     * @param rawPath the request path as sent: only a single segment names an image
     * @param withBody GET (true) or HEAD
     */
    public ImageResponse respond(String rawPath, String name, String range, String ifRange, String ifNoneMatch,
                                 String ifMatch, boolean withBody) {
        long t0 = System.nanoTime();
        RegisteredImage image = isSingleSegment(rawPath) ? registry.find(name).orElse(null) : null;
        if (image == null) {
            access(withBody, name, loggable(name), range, 404, 0, t0);
            return ImageResponse.text(404, "no such image\n");
        }
        ServedImage served;
        try {
            served = image.current();
        } catch (InvalidBaseImageException | EmbedAreaTooSmallException e) {
            channels.forget(image.basePath());
            String line = baseProblems.admit("cannot serve image " + image.logName() + ": " + e.getMessage(), System.nanoTime());
            if (line != null) {
                LOG.severe(line);
            }
            access(withBody, image.name(), image.logName(), range, 503, 0, t0);
            return ImageResponse.text(503, "image unavailable: base image problem\n");
        }
        ServePlan plan = ServePlanner.plan(served.layout().size(), served.etag(), range, ifRange, ifNoneMatch, ifMatch);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ETag", served.etag());
        headers.put("Accept-Ranges", "bytes");
        if (plan.status() == 304 || plan.status() == 412) {
            access(withBody, image.name(), image.logName(), range, plan.status(), 0, t0);
            // Liberty's HTTP channel writes Content-Length: 0 on every 304 (RFC 9110 §8.6 allows only the
            // full length); neither a JAX-RS header nor the servlet response changes that.
            return new ImageResponse(plan.status(), headers, null, null, null);
        }
        if (plan.contentRange() != null) {
            headers.put("Content-Range", plan.contentRange());
        }
        headers.put("Content-Length", Long.toString(plan.contentLength()));
        ImageResponse.Body body = null;
        if (withBody && plan.contentLength() > 0) {
            if (slots != null && !slots.tryAcquire()) {
                metrics.throttled();
                access(withBody, image.name(), image.logName(), range, 503, 0, t0);
                return new ImageResponse(503, Map.of("Retry-After", RETRY_AFTER), "text/plain",
                        "too many image downloads at once; retry later\n", null);
            }
            body = out -> write(image, served, plan, range, t0, out);
        } else {
            access(withBody, image.name(), image.logName(), range, plan.status(), 0, t0);
        }
        return new ImageResponse(plan.status(), headers, plan.contentType(), null, body);
    }

    private void write(RegisteredImage image, ServedImage served, ServePlan plan, String range, long t0, OutputStream out)
            throws IOException {
        CountingOutputStream counted = new CountingOutputStream(new GraceOutputStream(out, state));
        metrics.streamStarted();
        BaseChannels.Shared base = null;
        try {
            base = channels.acquire(served.base());
            byte[] buffer = plan.contentLength() <= 4L * SMALL_BUFFER_SIZE ? SMALL_BUFFER.get() : new byte[BUFFER_SIZE];
            for (ServePlan.Part part : plan.body()) {
                if (part instanceof ServePlan.Literal literal) {
                    counted.write(literal.bytes());
                } else if (part instanceof ServePlan.Slice slice) {
                    served.layout().write(base.channel, slice.from(), slice.length(), counted, buffer);
                }
            }
        } catch (ClosedChannelException e) {
            // The shared channel was closed under us (an interrupted reader closes it for all):
            // the next response opens the file again.
            channels.forget(served.base().path());
            throw e;
        } catch (IOException e) {
            // Mostly clients that went away; the channel is given back either way.
            LOG.log(Level.FINE, "stream of " + image.logName() + " ended early: " + e);
            throw e;
        } finally {
            if (slots != null) {
                slots.release();
            }
            if (base != null) {
                channels.release(base);
            }
            metrics.streamEnded(counted.count());
            access(true, image.name(), image.logName(), range, plan.status(), counted.count(), t0);
        }
    }

    /** @param key the image's name, which ranged reads are summed under; logName what the log may show */
    private void access(boolean get, String key, String logName, String range, int status, long bytes, long t0) {
        metrics.imageRequest(status);
        if (accessMode == Settings.AccessLogMode.OFF) {
            return;
        }
        if (get && status == 206 && accessMode == Settings.AccessLogMode.SUMMARY) {
            accessLog.range(key, logName, bytes, System.nanoTime() - t0);
        } else {
            accessLog.record((get ? "GET " : "HEAD ") + logName + " range=" + (range == null ? "-" : range)
                    + " status=" + status + " bytes=" + bytes + " ms=" + (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /**
     * Names are matched exactly: JAX-RS would also route {@code /name/} and {@code /name;param} to
     * {@code {name}}, which must not serve the image.
     */
    public static boolean isSingleSegment(String rawPath) {
        return rawPath != null && rawPath.length() > 1 && rawPath.charAt(0) == '/'
                && rawPath.indexOf('/', 1) < 0 && rawPath.indexOf(';') < 0;
    }

    /**
     * How a name that matches no image is logged: static-mode names and kernels in full, anything
     * else shortened, as it may be a mistyped capability. Registered images carry their own
     * ({@link RegisteredImage#logName}).
     */
    public static String loggable(String name) {
        if (name == null) {
            return "-";
        }
        if (name.endsWith(".iso") || name.endsWith(".initramfs") || name.startsWith("kernel-")) {
            return name;
        }
        return name.length() > 8 ? name.substring(0, 8) + "..." : name;
    }

    @Override
    public void close() {
        accessLog.close();
        channels.close();
    }
}
