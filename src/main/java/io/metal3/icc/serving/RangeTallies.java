package io.metal3.icc.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ranged reads summed per image between two drains. BMC virtual media read an ISO as thousands of
 * small ranges: a log line each floods the log and was a large share of the server's CPU per range
 * (bench/profile-ranges.sh shows where that CPU goes).
 */
final class RangeTallies {

    /** One image's sums; retired when a drain finds it idle, so that a late add takes a fresh one. */
    private static final class Tally {
        final String display;
        long requests;
        long bytes;
        long maxNanos;
        boolean retired;

        Tally(String display) {
            this.display = display;
        }
    }

    private final Map<String, Tally> tallies = new ConcurrentHashMap<>();

    /** @param display the image name as it may be logged (controller names are capabilities) */
    void add(String name, String display, long bytes, long nanos) {
        while (true) {
            Tally t = tallies.computeIfAbsent(name, n -> new Tally(display));
            synchronized (t) {
                if (!t.retired) {
                    t.requests++;
                    t.bytes += bytes;
                    t.maxNanos = Math.max(t.maxNanos, nanos);
                    return;
                }
            }
        }
    }

    /** A line per image read since the last drain ({@code period} names the interval); idle images are dropped. */
    List<String> drain(String period) {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Tally> e : tallies.entrySet()) {
            Tally t = e.getValue();
            synchronized (t) {
                if (t.requests == 0) {
                    t.retired = true;
                    tallies.remove(e.getKey(), t);
                    continue;
                }
                lines.add("GET " + t.display + " ranges=" + t.requests + " status=206 bytes=" + t.bytes
                        + " max-ms=" + t.maxNanos / 1_000_000 + " (" + period + ")");
                t.requests = 0;
                t.bytes = 0;
                t.maxNanos = 0;
            }
        }
        lines.sort(null);
        return lines;
    }
}
