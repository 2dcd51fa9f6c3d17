package io.metal3.icc.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

class OneLineRepeatFilterTest {

    static LogRecord record(String message, Throwable t) {
        LogRecord r = new LogRecord(Level.WARNING, message);
        r.setThrown(t);
        return r;
    }

    @Test
    void aFailureBecomesOneLineWithItsCauseAndRepeatsAreHeldBack() {
        OneLineRepeatFilter f = new OneLineRepeatFilter();
        Exception e = new IllegalStateException("Operation: [get] for kind: [Lease] failed.",
                new java.net.ConnectException("Connection refused"));
        LogRecord first = record("Exception occurred while acquiring lock", e);
        assertTrue(f.isLoggable(first));
        assertNull(first.getThrown(), "no stack trace");
        assertEquals("Exception occurred while acquiring lock: Operation: [get] for kind: [Lease] failed."
                + " (ConnectException: Connection refused)", first.getMessage());
        assertFalse(f.isLoggable(record("Exception occurred while acquiring lock", e)), "the same line within a minute");
        LogRecord plain = record("Acquired lease", null);
        assertTrue(f.isLoggable(plain), "records without a throwable pass untouched");
        assertEquals("Acquired lease", plain.getMessage());
    }
}
