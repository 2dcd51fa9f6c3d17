package io.metal3.icc.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class GraceOutputStreamTest {

    @Test
    void writesPassUntilTheShutdownGraceIsOver() throws IOException {
        ServingState state = new ServingState();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        GraceOutputStream out = new GraceOutputStream(sink, state);
        out.write(new byte[] {1, 2}, 0, 2);
        state.stopping(Duration.ofHours(1));
        assertFalse(state.readiness().up(), "not ready from the first moment of shutdown");
        out.write(3);
        assertArrayEquals(new byte[] {1, 2, 3}, sink.toByteArray(), "still within the grace period");
        state.stopping(Duration.ZERO);
        assertTrue(state.shutdownGraceOver());
        IOException e = assertThrows(IOException.class, () -> out.write(new byte[] {4}, 0, 1));
        assertTrue(e.getMessage().contains("grace period"), e.getMessage());
        assertThrows(IOException.class, () -> out.write(5));
        assertArrayEquals(new byte[] {1, 2, 3}, sink.toByteArray(), "nothing written after it");
    }
}
