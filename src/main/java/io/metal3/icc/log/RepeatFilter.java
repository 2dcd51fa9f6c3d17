package io.metal3.icc.log;

/**
 * Lets a message through when it differs from the last one let through or the quiet period has
 * passed, counting what it held back. A BMC reading a broken base image sends thousands of requests
 * a second; the fault needs one log line, not one per request.
 */
public final class RepeatFilter {

    private final long quietNanos;
    private String last;
    private long lastAt;
    private long held;

    public RepeatFilter(long quietNanos) {
        this.quietNanos = quietNanos;
    }

    /** @return the line to log, or null to stay quiet */
    public synchronized String admit(String message, long nowNanos) {
        if (message.equals(last) && nowNanos - lastAt < quietNanos) {
            held++;
            return null;
        }
        String line = held == 0 ? message
                : message + (message.equals(last) ? " (" + held + " repeats not logged)"
                        : " (" + held + " repeats of the previous message not logged)");
        last = message;
        lastAt = nowNanos;
        held = 0;
        return line;
    }
}
