package io.metal3.icc.controller.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class WorkQueueTest {

    @Test
    void keysComeOutInOrderAndAQueuedKeyIsQueuedOnce() throws Exception {
        WorkQueue q = new WorkQueue();
        q.add("a");
        q.add("b");
        q.add("a");
        q.add("c");
        assertEquals("a", q.take());
        assertEquals("b", q.take());
        assertEquals("c", q.take());
        q.done("a");
        q.done("b");
        q.done("c");
        q.add("d");
        assertEquals("d", q.take(), "nothing left over from the duplicate add");
        q.shutDown();
    }

    @Test
    void aKeyAddedWhileProcessedRunsOnceMoreAfterwardsNeverTwiceAtOnce() throws Exception {
        WorkQueue q = new WorkQueue();
        q.add("a");
        assertEquals("a", q.take());
        q.add("a");
        q.add("a");
        q.add("b");
        assertEquals("b", q.take(), "a is being processed: not handed out again");
        q.done("a");
        assertEquals("a", q.take(), "dirty while processed: queued again once done");
        q.done("a");
        q.done("b");
        q.add("z");
        assertEquals("z", q.take(), "a ran once more, not twice");
        q.shutDown();
    }

    @Test
    void retriesBackOffExponentiallyUpToTheCapAndForgetResets() throws Exception {
        assertEquals(Duration.ofMillis(5), WorkQueue.backoff(0));
        assertEquals(Duration.ofMillis(10), WorkQueue.backoff(1));
        assertEquals(Duration.ofMillis(5 * 1024), WorkQueue.backoff(10));
        assertEquals(WorkQueue.MAX_DELAY, WorkQueue.backoff(18));
        assertEquals(WorkQueue.MAX_DELAY, WorkQueue.backoff(64), "no overflow past 63 doublings");
        WorkQueue q = new WorkQueue();
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            long t0 = System.nanoTime();
            q.addRateLimited("k");
            assertEquals("k", q.take());
            waits.add(System.nanoTime() - t0);
            q.done("k");
        }
        // 5, 10, 20, 40 ms: each retry waits at least its delay.
        for (int i = 0; i < waits.size(); i++) {
            assertTrue(waits.get(i) >= TimeUnit.MILLISECONDS.toNanos(5L << i), "retry " + i + " waited " + waits.get(i));
        }
        q.forget("k");
        long t0 = System.nanoTime();
        q.addRateLimited("k");
        assertEquals("k", q.take());
        assertTrue(System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(5L << 4), "back to the first delay after forget");
        q.shutDown();
    }

    @Test
    void delayedAddsArriveLater() throws Exception {
        WorkQueue q = new WorkQueue();
        long t0 = System.nanoTime();
        q.addAfter("late", Duration.ofMillis(50));
        q.addAfter("now", Duration.ZERO);
        assertEquals("now", q.take());
        assertEquals("late", q.take());
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(50));
        q.shutDown();
    }

    @Test
    void workersProcessEveryKeyAndShutDownReleasesThem() throws Exception {
        WorkQueue q = new WorkQueue();
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(20);
        q.run(4, key -> {
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            seen.add(key);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            concurrent.decrementAndGet();
            all.countDown();
        });
        for (int i = 0; i < 20; i++) {
            q.add("k" + i);
        }
        assertTrue(all.await(10, TimeUnit.SECONDS));
        assertEquals(20, seen.size());
        assertEquals(20, seen.stream().distinct().count());
        assertTrue(maxConcurrent.get() <= 4);
        q.shutDown();
        assertNull(q.take(), "take returns null once shut down");
        q.add("after");
        assertNull(q.take(), "adds after shut-down are dropped");
    }

    @Test
    void stalledOnlyWithWorkWaitingAndNoProgress() throws Exception {
        WorkQueue q = new WorkQueue();
        assertFalse(q.stalled(Duration.ZERO), "nothing to do is not stalled");
        q.add("a");
        Thread.sleep(5);
        assertTrue(q.stalled(Duration.ofMillis(1)), "work waiting, nothing done");
        assertEquals("a", q.take());
        q.done("a");
        assertFalse(q.stalled(Duration.ofMillis(1)), "progress made, queue empty");
        q.shutDown();
    }
}
