package io.metal3.icc.image;

/** The Ignition archive does not fit into the base ISO's embed area. */
public class EmbedAreaTooSmallException extends Exception {
    private final long contentLength;
    private final long areaLength;

    public EmbedAreaTooSmallException(long contentLength, long areaLength) {
        super("content length (" + contentLength + ") exceeds embed area size (" + areaLength + ")");
        this.contentLength = contentLength;
        this.areaLength = areaLength;
    }

    public long contentLength() {
        return contentLength;
    }

    public long areaLength() {
        return areaLength;
    }
}
