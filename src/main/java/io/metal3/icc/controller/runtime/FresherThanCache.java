package io.metal3.icc.controller.runtime;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The objects this process wrote, kept until the informer cache catches up. The reconcile that runs
 * right after a write may still find the version it wrote over in the cache; a write from that stale
 * copy is a 409 on a real API server. While the cache shows a version we wrote over, our own write's
 * result is the freshest object there is. resourceVersions are compared for equality only (they are
 * opaque).
 */
final class FresherThanCache<T> {

    private record Written<T>(Set<String> overwritten, T latest) {
    }

    private final Map<String, Written<T>> written = new ConcurrentHashMap<>();
    private final java.util.function.Function<T, String> version;
    private final UnaryOperator<T> copy;

    FresherThanCache(java.util.function.Function<T, String> version, UnaryOperator<T> copy) {
        this.version = version;
        this.copy = copy;
    }

    /** Records that the version {@code before} was replaced by {@code after} (the API server's answer; null: deleted). */
    void wrote(String key, String before, T after) {
        written.compute(key, (k, w) -> {
            Set<String> over = new HashSet<>(w == null ? Set.of() : w.overwritten());
            over.add(before);
            return after == null ? null : new Written<>(over, after);
        });
    }

    /** The cached object, or our newer write while the cache still shows a version we replaced. */
    T freshest(String key, T cached) {
        Written<T> w = written.get(key);
        if (w == null) {
            return cached;
        }
        if (cached != null && w.overwritten().contains(version.apply(cached))) {
            return copy.apply(w.latest());
        }
        written.remove(key, w); // the cache has caught up (or the object is gone)
        return cached;
    }

    void forget(String key) {
        written.remove(key);
    }
}
