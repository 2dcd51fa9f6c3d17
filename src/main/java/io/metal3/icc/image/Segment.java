package io.metal3.icc.image;

/** One piece of a served image: a slice of the base file, bytes held in memory, or zeros. */
public sealed interface Segment {

    long length();

    /** {@code length} bytes of the base file starting at {@code offset}. */
    record FileSlice(long offset, long length) implements Segment {
    }

    /** Bytes kept in memory (the Ignition archive). Never modified after construction. */
    record Bytes(byte[] data) implements Segment {
        @Override
        public long length() {
            return data.length;
        }
    }

    /** Zero fill (the unused rest of the ISO embed area). */
    record Zeros(long length) implements Segment {
    }
}
