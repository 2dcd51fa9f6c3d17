package io.metal3.icc.image;

/** Byte range of the ISO reserved for the Ignition archive ({@code /images/ignition.img}). */
public record EmbedArea(long offset, long length) {
    public EmbedArea {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative embed area " + offset + "+" + length);
        }
    }

    public long end() {
        return offset + length;
    }
}
