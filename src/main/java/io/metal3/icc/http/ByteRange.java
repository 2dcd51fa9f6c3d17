package io.metal3.icc.http;

/** An inclusive, satisfiable byte range {@code first..last} of a representation. */
public record ByteRange(long first, long last) {
    public ByteRange {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("bad range " + first + "-" + last);
        }
    }

    public long length() {
        return last - first + 1;
    }

    /** {@code bytes first-last/size} */
    public String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }
}
