package io.metal3.icc.controller.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class InitialSyncTest {

    @Test
    void notDoneBeforeTheListNorWhileAnyListedKeyIsUnhandled() {
        InitialSync s = new InitialSync();
        assertFalse(s.done());
        s.handled("ns/a"); // handled before the list completed: counts
        assertFalse(s.done(), "no list yet");
        s.expect(List.of("ns/a", "ns/b", "ns/c"));
        assertEquals(3, s.total());
        assertEquals(2, s.remaining());
        s.handled("ns/b");
        s.handled("ns/x"); // not listed: irrelevant
        assertFalse(s.done());
        s.handled("ns/c");
        assertTrue(s.done());
    }

    @Test
    void anEmptyListIsDoneAtOnce() {
        InitialSync s = new InitialSync();
        s.expect(List.of());
        assertTrue(s.done());
    }
}
