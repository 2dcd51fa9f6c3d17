package io.metal3.icc.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.metal3.icc.serving.ServingState;

class DrainTriggerTest {

    @Test
    void aRequestDrainsOnceAndIsTakenAway(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("drain");
        AtomicInteger drains = new AtomicInteger();
        CountDownLatch drained = new CountDownLatch(1);
        try (DrainTrigger t = new DrainTrigger(file, Instant.now().minusSeconds(60), () -> {
            drains.incrementAndGet();
            drained.countDown();
        })) {
            t.start();
            Thread.sleep(3 * DrainTrigger.POLL_MILLIS);
            assertEquals(0, drains.get(), "nothing asked yet");
            Files.createFile(file);
            assertTrue(drained.await(5, TimeUnit.SECONDS), "drained");
            assertFalse(Files.exists(file), "the hook sees its request taken");
            Files.createFile(file);
            Thread.sleep(3 * DrainTrigger.POLL_MILLIS);
            assertEquals(1, drains.get(), "once");
        }
    }

    @Test
    void aRequestOlderThanTheProcessIsRemovedNotObeyed(@TempDir Path dir) throws Exception {
        Path file = Files.createFile(dir.resolve("drain"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));
        AtomicInteger drains = new AtomicInteger();
        try (DrainTrigger t = new DrainTrigger(file, Instant.now(), drains::incrementAndGet)) {
            t.start();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (Files.exists(file) && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertFalse(Files.exists(file), "a container restart's leftover is removed");
            Thread.sleep(2 * DrainTrigger.POLL_MILLIS);
            assertEquals(0, drains.get());
        }
    }

    @Test
    void drainingTurnsReadinessDownAndClosesConnections() {
        ServingState s = new ServingState();
        s.started(() -> new ServingState.Readiness(true, "static mode: 2 images", ""), () -> true);
        assertTrue(s.readiness().up());
        assertFalse(s.closesConnections());
        s.draining();
        assertFalse(s.readiness().up());
        assertEquals("draining before shutdown", s.readiness().reason());
        assertTrue(s.closesConnections());
        assertTrue(s.isLive(), "a draining replica is alive");
        s.stopping(Duration.ofSeconds(20));
        assertEquals("shutting down", s.readiness().reason());
        assertTrue(s.closesConnections());
    }
}
