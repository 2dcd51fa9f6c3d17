package io.metal3.icc.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class RepeatFilterTest {

    static final long SECOND = 1_000_000_000L;

    @Test
    void repeatsAreHeldForTheQuietPeriodThenCounted() {
        RepeatFilter f = new RepeatFilter(60 * SECOND);
        assertEquals("base ISO is truncated", f.admit("base ISO is truncated", 0));
        for (int i = 1; i <= 1000; i++) {
            assertNull(f.admit("base ISO is truncated", i * 1_000_000L));
        }
        assertEquals("base ISO is truncated (1000 repeats not logged)", f.admit("base ISO is truncated", 60 * SECOND));
        assertNull(f.admit("base ISO is truncated", 61 * SECOND));
    }

    @Test
    void aDifferentMessageGoesThroughAtOnce() {
        RepeatFilter f = new RepeatFilter(60 * SECOND);
        assertEquals("a", f.admit("a", 0));
        assertNull(f.admit("a", 1));
        assertEquals("b (1 repeats of the previous message not logged)", f.admit("b", 2));
        assertEquals("a", f.admit("a", 3));
    }
}
