package io.metal3.icc.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class AccessLogTest {

    @Test
    void writesLinesInOrderAndFlushesOnClose() {
        List<String> out = new CopyOnWriteArrayList<>();
        try (AccessLog log = new AccessLog(out::add, 16)) {
            for (int i = 0; i < 10; i++) {
                log.record("line " + i);
            }
        }
        assertEquals(List.of("line 0", "line 1", "line 2", "line 3", "line 4", "line 5", "line 6", "line 7",
                "line 8", "line 9"), out);
    }

    @Test
    void aStuckSinkNeverBlocksRequestsAndDropsAreReported() throws InterruptedException {
        List<String> out = new CopyOnWriteArrayList<>();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (AccessLog log = new AccessLog(line -> {
            entered.countDown();
            if (line.equals("first")) {
                await(release);
            }
            out.add(line);
        }, 4)) {
            log.record("first");
            assertTrue(entered.await(5, TimeUnit.SECONDS));
            // The writer is stuck on "first": 4 lines fit, the other 96 are dropped without waiting.
            for (int i = 0; i < 100; i++) {
                log.record("queued " + i);
            }
            assertEquals(96, log.dropped());
            release.countDown();
        }
        String report = "access log: 96 lines dropped (requests arrived faster than the log could be written)";
        assertEquals(1, out.stream().filter(report::equals).count(), out::toString);
        assertEquals(List.of("first", "queued 0", "queued 1", "queued 2", "queued 3"),
                out.stream().filter(l -> !l.equals(report)).toList());
    }

    @Test
    void aFailingSinkDoesNotStopTheWriter() {
        List<String> out = new CopyOnWriteArrayList<>();
        try (AccessLog log = new AccessLog(line -> {
            if (line.startsWith("bad")) {
                throw new IllegalStateException("handler broke");
            }
            out.add(line);
        }, 8)) {
            log.record("bad 1");
            log.record("good 2");
        }
        assertEquals(List.of("good 2"), out);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void rangesAreSummedIntoALinePerImageEachPeriodAndOnClose() throws InterruptedException {
        List<String> out = new CopyOnWriteArrayList<>();
        try (AccessLog log = new AccessLog(out::add, 16, TimeUnit.MILLISECONDS.toNanos(300))) {
            log.record("GET worker-0.iso range=- status=200 bytes=9 ms=1");
            for (int i = 0; i < 1000; i++) {
                log.range("worker-0.iso", "worker-0.iso", 65536, 1_000_000);
            }
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (out.size() < 2 && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertEquals(List.of("GET worker-0.iso range=- status=200 bytes=9 ms=1",
                    "GET worker-0.iso ranges=1000 status=206 bytes=65536000 max-ms=1 (last 0 s)"), out,
                    "written within the period, without waiting for close");
            log.range("worker-0.iso", "worker-0.iso", 1, 0);
        }
        assertEquals("GET worker-0.iso ranges=1 status=206 bytes=1 max-ms=0 (last 0 s)", out.get(2), "flushed on close");
        assertEquals(3, out.size());
    }
}
