package io.metal3.icc.controller;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Condition;

/** Condition types, reasons and apimachinery's SetStatusCondition semantics. */
public final class Conditions {

    public static final String READY = "Ready";
    public static final String ERROR = "Error";

    public static final String IMAGE_SUCCESS = "ImageSuccess";
    public static final String CONFIGURATION_ERROR = "ConfigurationError";
    public static final String MISSING_NETWORK_DATA = "MissingNetworkData";
    public static final String IMAGE_BUILD_INVALID = "ImageBuildInvalid";
    /** Ours: a failure that is retried (upstream left no trace of these in the status). */
    public static final String IMAGE_BUILD_FAILED = "ImageBuildFailed";

    /** The CRD caps condition messages at 32768 characters. */
    public static final int MAX_MESSAGE = 32768;

    private Conditions() {
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return find(conditions, type).map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    /** lastTransitionTime changes only when the status flips. */
    public static void set(List<Condition> conditions, String type, boolean status, String reason, String message,
                           Long generation, Instant now) {
        String s = status ? "True" : "False";
        String msg = truncate(message == null ? "" : message);
        Optional<Condition> existing = find(conditions, type);
        if (existing.isPresent()) {
            Condition c = existing.get();
            if (!s.equals(c.getStatus())) {
                c.setStatus(s);
                c.setLastTransitionTime(timestamp(now));
            }
            c.setReason(reason);
            c.setMessage(msg);
            c.setObservedGeneration(generation);
        } else {
            Condition c = new Condition();
            c.setType(type);
            c.setStatus(s);
            c.setReason(reason);
            c.setMessage(msg);
            c.setObservedGeneration(generation);
            c.setLastTransitionTime(timestamp(now));
            conditions.add(c);
        }
    }

    static String truncate(String message) {
        if (message.length() <= MAX_MESSAGE) {
            return message;
        }
        String tail = "... (truncated)";
        return message.substring(0, MAX_MESSAGE - tail.length()) + tail;
    }

    static String timestamp(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
