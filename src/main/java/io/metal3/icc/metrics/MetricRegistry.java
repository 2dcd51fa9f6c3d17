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
        List<Map.Entry<String, Family>> copy;
        List<List<Map.Entry<List<String>, Object>>> children = new ArrayList<>();
        synchronized (this) {
            copy = new ArrayList<>(families.entrySet());
            for (Map.Entry<String, Family> e : copy) {
                children.add(new ArrayList<>(e.getValue().children.entrySet()));
            }
        }
        for (int i = 0; i < copy.size(); i++) {
            String name = copy.get(i).getKey();
            Family f = copy.get(i).getValue();
            if (f.type.equals("summary")) {
                writeSummary(out, name, f.help, children.get(i), scopeLabels);
                continue;
            }
            out.family(name, f.type, f.help);
            for (Map.Entry<List<String>, Object> c : children.get(i)) {
                double v = c.getValue() instanceof LongAdder a ? a.sum() : ((DoubleSupplier) c.getValue()).getAsDouble();
                out.sample(name, labels(scopeLabels, c.getKey()), v);
            }
        }
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
