package io.metal3.icc.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

/**
 * The application's metrics, written in the order they were registered. Instruments are created
 * once and kept by the caller on hot paths; a counter with new label values is created on first use.
 */
public final class MetricRegistry {

    private final Map<String, Family> families = new LinkedHashMap<>();

    /** A counter; {@code name} is the exposed name, ending in {@code _total}. */
    public synchronized LongAdder counter(String name, String help, String... labels) {
        return (LongAdder) family(name, "counter", help).children.computeIfAbsent(List.of(labels), k -> new LongAdder());
    }

    public synchronized void gauge(String name, String help, DoubleSupplier value) {
        family(name, "gauge", help).children.put(List.of(), value);
    }

    /** A summary in seconds under {@code name}, and its recent maximum under {@code name_max}. */
    public synchronized Timer timer(String name, String help) {
        return (Timer) family(name, "summary", help).children.computeIfAbsent(List.of(), k -> new Timer());
    }

    private Family family(String name, String type, String help) {
        Family f = families.computeIfAbsent(name, n -> new Family(type, help));
        if (!f.type.equals(type)) {
            throw new IllegalArgumentException(name + " is a " + f.type + ", not a " + type);
        }
        return f;
    }

    /** Every sample, each labelled with {@code scopeLabels} first (name/value pairs). */
    public void write(Exposition out, List<String> scopeLabels) {
        List<Snapshot> snapshot = new ArrayList<>();
        synchronized (this) {
            families.forEach((name, f) -> snapshot.add(new Snapshot(name, f, new ArrayList<>(f.children.entrySet()))));
        }
        for (Snapshot s : snapshot) {
            if (s.family.type.equals("summary")) {
                writeSummary(out, s.name, s.family.help, s.children, scopeLabels);
                continue;
            }
            out.family(s.name, s.family.type, s.family.help);
            for (Map.Entry<List<String>, Object> c : s.children) {
                double v = c.getValue() instanceof LongAdder a ? a.sum() : ((DoubleSupplier) c.getValue()).getAsDouble();
                out.sample(s.name, labels(scopeLabels, c.getKey()), v);
            }
        }
    }

    /** A family and its instruments as they were when a write began. */
    private record Snapshot(String name, Family family, List<Map.Entry<List<String>, Object>> children) {
    }

    private static void writeSummary(Exposition out, String name, String help,
                                     List<Map.Entry<List<String>, Object>> timers, List<String> scopeLabels) {
        List<Timer.Snapshot> snapshots = new ArrayList<>();
        for (Map.Entry<List<String>, Object> c : timers) {
            snapshots.add(((Timer) c.getValue()).snapshot());
        }
        out.family(name + "_max", "gauge", help + " (largest of the recent samples)");
        for (int t = 0; t < timers.size(); t++) {
            out.sample(name + "_max", labels(scopeLabels, timers.get(t).getKey()), seconds(snapshots.get(t).max()));
        }
        out.family(name, "summary", help);
        for (int t = 0; t < timers.size(); t++) {
            List<String> labels = labels(scopeLabels, timers.get(t).getKey());
            Timer.Snapshot s = snapshots.get(t);
            for (double q : Timer.QUANTILES) {
                List<String> withQuantile = new ArrayList<>(labels);
                withQuantile.add("quantile");
                withQuantile.add(Double.toString(q));
                out.sample(name, withQuantile, seconds(s.quantile(q)));
            }
            out.sample(name + "_count", labels, s.count());
            out.sample(name + "_sum", labels, seconds(s.sumNanos()));
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static List<String> labels(List<String> scope, List<String> own) {
        if (own.isEmpty()) {
            return scope;
        }
        List<String> all = new ArrayList<>(scope.size() + own.size());
        all.addAll(scope);
        all.addAll(own);
        return all;
    }

    private static final class Family {
        final String type;
        final String help;
        final Map<List<String>, Object> children = new LinkedHashMap<>();

        Family(String type, String help) {
            this.type = type;
            this.help = help;
        }
    }
}
