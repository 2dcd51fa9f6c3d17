package io.metal3.icc.controller.runtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * controller-runtime's work queue: a key is queued at most once, never processed by two workers at
 * once (a key added while processing runs again afterwards), delayed adds, and per-key exponential
 * retry backoff (5 ms doubling to 1000 s).
 */
public final class WorkQueue {

    static final Duration BASE_DELAY = Duration.ofMillis(5);
    static final Duration MAX_DELAY = Duration.ofSeconds(1000);

    private final Deque<String> queue = new ArrayDeque<>();
    private final Set<String> queued = new HashSet<>();
    private final Set<String> processing = new HashSet<>();
    private final Set<String> dirty = new HashSet<>();
    private final Map<String, Integer> failures = new HashMap<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "icc-queue-timer");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean shutDown;
    private volatile long lastProgressNanos = System.nanoTime();

    public synchronized void add(String key) {
        if (shutDown) {
            return;
        }
        if (processing.contains(key)) {
            dirty.add(key);
            return;
        }
        if (queued.add(key)) {
            queue.addLast(key);
            notifyAll();
        }
    }

    public void addAfter(String key, Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            add(key);
        } else if (!shutDown) {
            timers.schedule(() -> add(key), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Retry with the key's next backoff delay. */
    public void addRateLimited(String key) {
        int n;
        synchronized (this) {
            n = failures.merge(key, 1, Integer::sum) - 1;
        }
        addAfter(key, backoff(n));
    }

    static Duration backoff(int failures) {
        if (failures >= 30) {
            return MAX_DELAY;
        }
        Duration d = BASE_DELAY.multipliedBy(1L << failures);
        return d.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : d;
    }

    public synchronized void forget(String key) {
        failures.remove(key);
    }

    /** Blocks for the next key; null once shut down. */
    public synchronized String take() throws InterruptedException {
        while (queue.isEmpty() && !shutDown) {
            wait();
        }
        if (shutDown) {
            return null;
        }
        String key = queue.pollFirst();
        queued.remove(key);
        processing.add(key);
        return key;
    }

    public synchronized void done(String key) {
        processing.remove(key);
        lastProgressNanos = System.nanoTime();
        if (dirty.remove(key) && queued.add(key)) {
            queue.addLast(key);
            notifyAll();
        }
    }

    /** Runs {@code worker} on keys with {@code threads} threads until shut down. */
    public void run(int threads, Consumer<String> worker) {
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                while (true) {
                    String key;
                    try {
                        key = take();
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (key == null) {
                        return;
                    }
                    try {
                        worker.accept(key);
                    } finally {
                        done(key);
                    }
                }
            }, "icc-reconcile-" + i);
            t.setDaemon(true);
            t.start();
        }
    }

    /** Liveness: work waiting and nothing finished for that long means the workers are stuck. */
    public synchronized boolean stalled(Duration limit) {
        return (!queue.isEmpty() || !processing.isEmpty())
                && System.nanoTime() - lastProgressNanos > limit.toNanos();
    }

    public void shutDown() {
        synchronized (this) {
            shutDown = true;
            notifyAll();
        }
        timers.shutdownNow();
    }
}
