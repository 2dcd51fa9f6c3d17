package io.metal3.icc.serving;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Ends a response that is still being written when the shutdown grace period is over. Liberty's
 * quiesce waits a fixed 30 s for responses under way and a stuck one then holds the stop for
 * another 30 s; ending them at the grace period keeps the stop inside the pod's grace period.
 */
final class GraceOutputStream extends FilterOutputStream {

    private final ServingState state;

    GraceOutputStream(OutputStream out, ServingState state) {
        super(out);
        this.state = state;
    }

    @Override
    public void write(int b) throws IOException {
        check();
        out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        check();
        out.write(b, off, len);
    }

    private void check() throws IOException {
        if (state.shutdownGraceOver()) {
            throw new IOException("server shutting down: the shutdown grace period is over");
        }
    }
}
