package io.metal3.icc.image;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Finds {@code /images/ignition.img} in an ISO 9660 image by walking the primary volume's
 * directory tree: the file's extent is the embed area (offset = LBA x 2048, length = data length).
 */
public final class IsoInspector {

    public static final int SECTOR = 2048;
    static final long FIRST_DESCRIPTOR_SECTOR = 16;
    private static final int MAX_DESCRIPTORS = 64;
    /** A directory larger than this is not a CoreOS ISO directory; refuse instead of reading it. */
    private static final long MAX_DIRECTORY_BYTES = 4L << 20;
    private static final String[] IGNITION_PATH = {"images", "ignition.img"};

    private IsoInspector() {
    }

    /** @param size the size of the base image (the channel may be a block device reporting 0) */
    public static EmbedArea locateIgnitionArea(FileChannel iso, long size) throws InvalidBaseImageException {
        try {
            ByteBuffer pvd = primaryVolumeDescriptor(iso, size);
            long volumeBytes = volumeBytes(pvd);
            if (volumeBytes > size) {
                throw new InvalidBaseImageException("base ISO is truncated: its volume descriptor gives "
                        + volumeBytes + " bytes, the file has " + size + " (copy the ISO again)");
            }
            DirRecord dir = DirRecord.parse(pvd, 156);
            for (int i = 0; i < IGNITION_PATH.length; i++) {
                boolean last = i == IGNITION_PATH.length - 1;
                DirRecord next = find(iso, size, dir, IGNITION_PATH[i]);
                if (next == null || next.directory() == last) {
                    throw new InvalidBaseImageException("base ISO has no /images/ignition.img embed area"
                            + " (not a CoreOS live ISO?)");
                }
                dir = next;
            }
            EmbedArea area = new EmbedArea(dir.extent() * SECTOR, dir.length());
            if (area.end() > size) {
                throw new InvalidBaseImageException("embed area " + area.offset() + "+" + area.length()
                        + " lies beyond the end of the base ISO (" + size + " bytes): truncated file?");
            }
            return area;
        } catch (IOException e) {
            throw new InvalidBaseImageException("cannot read base ISO: " + e.getMessage(), e);
        }
    }

    /** Volume space size (both-endian, little half read) × logical block size, from the PVD. */
    static long volumeBytes(ByteBuffer pvd) {
        ByteBuffer le = pvd.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        return Integer.toUnsignedLong(le.getInt(80)) * Short.toUnsignedInt(le.getShort(128));
    }

    private static ByteBuffer primaryVolumeDescriptor(FileChannel iso, long size)
            throws IOException, InvalidBaseImageException {
        for (long s = FIRST_DESCRIPTOR_SECTOR; s < FIRST_DESCRIPTOR_SECTOR + MAX_DESCRIPTORS; s++) {
            if ((s + 1) * SECTOR > size) {
                break;
            }
            ByteBuffer vd = read(iso, s * SECTOR, SECTOR);
            String magic = new String(vd.array(), 1, 5, StandardCharsets.US_ASCII);
            if (!"CD001".equals(magic)) {
                break;
            }
            int type = vd.get(0) & 0xff;
            if (type == 1) {
                return vd;
            }
            if (type == 255) {
                break;
            }
        }
        throw new InvalidBaseImageException("base ISO has no ISO 9660 primary volume descriptor (not an ISO image?)");
    }

    private static DirRecord find(FileChannel iso, long size, DirRecord dir, String name)
            throws IOException, InvalidBaseImageException {
        if (dir.length() > MAX_DIRECTORY_BYTES || dir.extent() * SECTOR + dir.length() > size) {
            throw new InvalidBaseImageException("base ISO directory at sector " + dir.extent() + " is corrupt");
        }
        ByteBuffer data = read(iso, dir.extent() * SECTOR, (int) dir.length());
        int pos = 0;
        while (pos < data.limit()) {
            int len = data.get(pos) & 0xff;
            if (len == 0) {
                // Records never cross sectors: a zero length byte pads to the next sector.
                pos = (pos / SECTOR + 1) * SECTOR;
                continue;
            }
            if (len < 34 || pos + len > data.limit()) {
                throw new InvalidBaseImageException("base ISO directory at sector " + dir.extent() + " is corrupt");
            }
            DirRecord record = DirRecord.parse(data, pos);
            if (name.equals(record.name())) {
                return record;
            }
            pos += len;
        }
        return null;
    }

    private static ByteBuffer read(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) {
                throw new EOFException("unexpected end of file at byte " + (position + buf.position()));
            }
        }
        return buf.flip();
    }

    private record DirRecord(long extent, long length, boolean directory, String name) {
        static DirRecord parse(ByteBuffer b, int at) {
            long extent = Integer.toUnsignedLong(b.getInt(at + 2));
            long length = Integer.toUnsignedLong(b.getInt(at + 10));
            boolean directory = (b.get(at + 25) & 0x02) != 0;
            int nameLen = b.get(at + 32) & 0xff;
            String raw = new String(b.array(), at + 33, nameLen, StandardCharsets.ISO_8859_1);
            return new DirRecord(extent, length, directory, normalise(raw));
        }

        /** ISO 9660 names are upper case with a ";1" version and maybe a trailing dot. */
        private static String normalise(String raw) {
            String n = raw;
            int semi = n.indexOf(';');
            if (semi >= 0) {
                n = n.substring(0, semi);
            }
            if (n.endsWith(".")) {
                n = n.substring(0, n.length() - 1);
            }
            return n.toLowerCase(Locale.ROOT);
        }
    }
}
