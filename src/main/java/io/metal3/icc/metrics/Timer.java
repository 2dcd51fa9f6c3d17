package io.metal3.icc.metrics;

import java.util.Arrays;

/**
 * Durations as a Prometheus summary: count and sum since start, and quantiles and max over the most
 * recent {@value #WINDOW} samples (reconciles are rare enough that a fixed window is recent).
 */
public final class Timer {

    static final int WINDOW = 1024;
    static final double[] QUANTILES = {0.5, 0.75, 0.95, 0.98, 0.99, 0.999};

    private final long[] recent = new long[WINDOW];
    private long count;
    private long sumNanos;

    public synchronized void record(long nanos) {
        recent[(int) (count % WINDOW)] = Math.max(0, nanos);
        count++;
        sumNanos += Math.max(0, nanos);
    }

    /** A consistent copy for one scrape. */
    public synchronized Snapshot snapshot() {
        long[] window = Arrays.copyOf(recent, (int) Math.min(count, WINDOW));
        Arrays.sort(window);
        return new Snapshot(count, sumNanos, window);
    }

    public record Snapshot(long count, long sumNanos, long[] sortedWindow) {

        /** Nearest-rank quantile of the window, in nanoseconds; 0 before the first sample. */
        public long quantile(double q) {
            if (sortedWindow.length == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(q * sortedWindow.length);
            return sortedWindow[Math.max(0, Math.min(sortedWindow.length - 1, rank - 1))];
        }

        public long max() {
            return sortedWindow.length == 0 ? 0 : sortedWindow[sortedWindow.length - 1];
        }
    }
}
