package io.metal3.icc.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * The identity of a base file's content, the same on every replica whatever its path, inode or
 * mtime: SHA-256 over the size, the first and last MiB (volume descriptors, headers, trailers) and
 * a CRC32C of every byte. CRC32C is hardware-accelerated, many times faster than SHA-256, so the
 * whole file is covered for little more than the cost of reading it.
 */
public final class BaseFingerprint {

    private static final int EDGE = 1 << 20;

    private BaseFingerprint() {
    }

    public static String of(Path path, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(ByteBuffer.allocate(8).putLong(0, size));
            CRC32C crc = new CRC32C();
            ByteBuffer buf = ByteBuffer.allocateDirect(EDGE);
            long pos = 0;
            while (pos < size) {
                buf.clear();
                buf.limit((int) Math.min(EDGE, size - pos));
                int n = ch.read(buf, pos);
                if (n < 0) {
                    throw new IOException("base image " + path + " ended at byte " + pos + " of " + size);
                }
                buf.flip();
                boolean edge = pos < EDGE || pos + n > size - EDGE;
                if (edge) {
                    sha.update(buf.duplicate());
                }
                crc.update(buf);
                pos += n;
            }
            sha.update(ByteBuffer.allocate(8).putLong(0, crc.getValue()));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
