package io.metal3.icc.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Waits for the file that the pod's preStop hook ({@code icc-drain}) creates, then runs the drain
 * once and removes the file (which tells the hook it was seen). A file inside the container rather
 * than an HTTP endpoint: nothing that reaches the port can take a replica out of service. Polled, not
 * watched: a stat every 200 ms costs nothing and works on every volume type.
 */
final class DrainTrigger implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DrainTrigger.class.getName());
    static final long POLL_MILLIS = 200;

    private final Path file;
    private final Instant startedAt;
    private final Runnable drain;
    private final ScheduledExecutorService timer;

    /**
     * @param startedAt when this process started: an older file was left by an earlier run of the
     *                  container (its /tmp outlives a restart) and is removed, not obeyed
     */
    DrainTrigger(Path file, Instant startedAt, Runnable drain) {
        this.file = file;
        this.startedAt = startedAt;
        this.drain = drain;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "icc-drain-trigger");
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        timer.scheduleWithFixedDelay(this::poll, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void poll() {
        try {
            Instant created = Files.getLastModifiedTime(file).toInstant();
            Files.deleteIfExists(file);
            if (created.isBefore(startedAt.minusSeconds(1))) {
                LOG.info("removed " + file + ", a drain request older than this process");
                return;
            }
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException | RuntimeException e) {
            // Not removable (another owner, a read-only directory): obey it anyway, once.
            LOG.warning("drain requested, but " + file + " cannot be removed: " + e);
        }
        timer.shutdown();
        drain.run();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
