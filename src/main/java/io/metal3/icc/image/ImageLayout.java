package io.metal3.icc.image;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An image as an immutable list of segments whose lengths add up to the image size. Computed once
 * per (base file, Ignition); serving a byte range walks the list, copying nothing but the range.
 */
public final class ImageLayout {

    private static final byte[] ZEROS = new byte[64 * 1024];

    private final Segment[] segments;
    /** starts[i] = image offset of segments[i]; starts[n] = size. */
    private final long[] starts;
    private final long baseSize;

    private ImageLayout(List<Segment> list, long baseSize) {
        this.segments = list.stream().filter(s -> s.length() > 0).toArray(Segment[]::new);
        this.starts = new long[segments.length + 1];
        for (int i = 0; i < segments.length; i++) {
            starts[i + 1] = starts[i] + segments[i].length();
        }
        this.baseSize = baseSize;
    }

    /** Base ISO with the archive over the embed area and the rest of the area zero-filled. */
    public static ImageLayout iso(long baseSize, EmbedArea area, byte[] archive) throws EmbedAreaTooSmallException {
        if (archive.length > area.length()) {
            throw new EmbedAreaTooSmallException(archive.length, area.length());
        }
        if (area.end() > baseSize) {
            throw new IllegalArgumentException("embed area ends at " + area.end() + ", past the base size " + baseSize);
        }
        List<Segment> list = new ArrayList<>(4);
        list.add(new Segment.FileSlice(0, area.offset()));
        list.add(new Segment.Bytes(archive));
        list.add(new Segment.Zeros(area.length() - archive.length));
        list.add(new Segment.FileSlice(area.end(), baseSize - area.end()));
        return new ImageLayout(list, baseSize);
    }

    /** A base file served as it is (PXE kernels). */
    public static ImageLayout file(long baseSize) {
        return new ImageLayout(List.of(new Segment.FileSlice(0, baseSize)), baseSize);
    }

    /** Base initramfs followed by the archive: the kernel unpacks concatenated archives in order. */
    public static ImageLayout initramfs(long baseSize, byte[] archive) {
        return new ImageLayout(List.of(new Segment.FileSlice(0, baseSize), new Segment.Bytes(archive)), baseSize);
    }

    public long size() {
        return starts[segments.length];
    }

    /** Size of the base file this layout was computed for. */
    public long baseSize() {
        return baseSize;
    }

    public List<Segment> segments() {
        return List.of(segments);
    }

    /**
     * Writes image bytes {@code [from, from + length)} to {@code out}, reading file slices from
     * {@code base} through {@code buffer} (the only per-stream memory).
     */
    public void write(FileChannel base, long from, long length, OutputStream out, byte[] buffer) throws IOException {
        if (from < 0 || length < 0 || from + length > size()) {
            throw new IndexOutOfBoundsException("range " + from + "+" + length + " outside image of " + size());
        }
        long pos = from;
        long end = from + length;
        int i = segmentAt(pos);
        while (pos < end) {
            Segment seg = segments[i];
            long within = pos - starts[i];
            long n = Math.min(end, starts[i + 1]) - pos;
            if (seg instanceof Segment.FileSlice f) {
                copyFile(base, f.offset() + within, n, out, buffer);
            } else if (seg instanceof Segment.Bytes b) {
                out.write(b.data(), (int) within, (int) n);
            } else {
                writeZeros(n, out);
            }
            pos += n;
            i++;
        }
    }

    private int segmentAt(long pos) {
        int i = Arrays.binarySearch(starts, pos);
        return i >= 0 ? i : -i - 2;
    }

    private static void copyFile(FileChannel base, long position, long n, OutputStream out, byte[] buffer)
            throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(buffer);
        long remaining = n;
        long at = position;
        while (remaining > 0) {
            if (Thread.currentThread().isInterrupted()) {
                // Reading would close the channel, which other responses share.
                throw new java.io.InterruptedIOException("interrupted before reading the base image");
            }
            buf.clear().limit((int) Math.min(buffer.length, remaining));
            int read = base.read(buf, at);
            if (read < 0) {
                throw new EOFException("base image ended at byte " + at + ", expected " + (position + n)
                        + ": it was truncated or replaced");
            }
            out.write(buffer, 0, read);
            at += read;
            remaining -= read;
        }
    }

    private static void writeZeros(long n, OutputStream out) throws IOException {
        long remaining = n;
        while (remaining > 0) {
            int chunk = (int) Math.min(ZEROS.length, remaining);
            out.write(ZEROS, 0, chunk);
            remaining -= chunk;
        }
    }
}
