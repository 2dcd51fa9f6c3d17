package io.metal3.icc.controller.runtime;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Readiness after a start: every PreprovisioningImage of the first full list has been handled once,
 * so every image URL already in a status is served again. Keys handled before the list is known count.
 */
final class InitialSync {

    private final Set<String> handledEarly = new HashSet<>();
    private Set<String> pending;
    private int total;

    synchronized void handled(String key) {
        if (pending == null) {
            handledEarly.add(key);
        } else {
            pending.remove(key);
        }
    }

    /** The keys of the first complete list. */
    synchronized void expect(Collection<String> keys) {
        pending = new HashSet<>(keys);
        total = pending.size();
        pending.removeAll(handledEarly);
        handledEarly.clear();
    }

    synchronized boolean listed() {
        return pending != null;
    }

    synchronized boolean done() {
        return pending != null && pending.isEmpty();
    }

    synchronized int remaining() {
        return pending == null ? -1 : pending.size();
    }

    synchronized int total() {
        return total;
    }
}
