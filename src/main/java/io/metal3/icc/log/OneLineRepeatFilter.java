package io.metal3.icc.log;

import java.util.concurrent.TimeUnit;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * For a library logger that reports each failed retry with a stack trace (fabric8's leader elector
 * does, every 2 s while the API server is away): one line with the cause instead, and the same line
 * at most once a minute.
 */
public final class OneLineRepeatFilter implements Filter {

    private final RepeatFilter repeats = new RepeatFilter(TimeUnit.MINUTES.toNanos(1));

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record.getThrown() == null) {
            return true;
        }
        String line = repeats.admit(record.getMessage() + ": " + causes(record.getThrown()), System.nanoTime());
        if (line == null) {
            return false;
        }
        record.setMessage(line);
        record.setParameters(null);
        record.setThrown(null);
        return true;
    }

    /** The message of the outer exception and of its root cause. */
    public static String causes(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String outer = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return root == t || root.getMessage() == null || outer.contains(root.getMessage()) ? outer
                : outer + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
}
