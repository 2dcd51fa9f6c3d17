package io.metal3.icc.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Access log lines written by one background thread. Request threads only enqueue: Liberty's log
 * pipeline (a synchronised file write per record, twice with the console) cost a range request about
 * as much CPU as serving it, and a slow log must never hold up a BMC's read. When the queue is full
 * lines are dropped and counted; the count is reported in the log itself. Ranged reads may instead be
 * summed per image ({@link #range}) and written as one line per image every {@code summaryNanos}.
 */
final class AccessLog implements AutoCloseable {

    static final int DEFAULT_CAPACITY = 65_536;
    static final long DEFAULT_SUMMARY_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int BATCH = 1024;

    private final BlockingQueue<String> pending;
    private final Consumer<String> sink;
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private final RangeTallies ranges = new RangeTallies();
    private final long summaryNanos;
    private volatile boolean closed;

    AccessLog(Consumer<String> sink, int capacity) {
        this(sink, capacity, DEFAULT_SUMMARY_NANOS);
    }

    AccessLog(Consumer<String> sink, int capacity, long summaryNanos) {
        this.sink = sink;
        this.summaryNanos = summaryNanos;
        this.pending = new ArrayBlockingQueue<>(capacity);
        this.writer = new Thread(this::drain, "icc-access-log");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Never blocks. */
    void record(String line) {
        if (closed || !pending.offer(line)) {
            dropped.incrementAndGet();
        }
    }

    /** A ranged read of {@code name}, summed into the next summary line. Never blocks. */
    void range(String name, String display, long bytes, long nanos) {
        ranges.add(name, display, bytes, nanos);
    }

    long dropped() {
        return dropped.get();
    }

    private void drain() {
        List<String> batch = new ArrayList<>(BATCH);
        long reportedDrops = 0;
        long lastSummary = System.nanoTime();
        String period = "last " + TimeUnit.NANOSECONDS.toSeconds(summaryNanos) + " s";
        while (true) {
            try {
                String first = pending.poll(200, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    pending.drainTo(batch, BATCH - 1);
                }
            } catch (InterruptedException e) {
                closed = true;
            }
            for (String line : batch) {
                emit(line);
            }
            batch.clear();
            long drops = dropped.get();
            if (drops != reportedDrops) {
                emit("access log: " + (drops - reportedDrops)
                        + " lines dropped (requests arrived faster than the log could be written)");
                reportedDrops = drops;
            }
            long now = System.nanoTime();
            if (closed || now - lastSummary >= summaryNanos) {
                ranges.drain(period).forEach(this::emit);
                lastSummary = now;
            }
            if (closed && pending.isEmpty()) {
                return;
            }
        }
    }

    private void emit(String line) {
        try {
            sink.accept(line);
        } catch (RuntimeException e) {
            // A failing log handler must not end the writer; the line is lost, serving goes on.
        }
    }

    /** Writes what is queued, then stops the writer. */
    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
