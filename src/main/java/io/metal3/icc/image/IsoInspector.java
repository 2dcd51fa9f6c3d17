package io.metal3.icc.image;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Finds the Ignition embed area of a CoreOS live ISO the way coreos-installer does: where
 * {@code /coreos/igninfo.json} says ({@code file}, optional {@code offset} and {@code length}; s390x
 * ISOs keep the area inside {@code images/cdboot.img}), else the whole of {@code /images/ignition.img}.
 * Files are found by walking the primary volume's ISO 9660 directory tree (offset = LBA x 2048).
 */
public final class IsoInspector {

    public static final int SECTOR = 2048;
    static final long FIRST_DESCRIPTOR_SECTOR = 16;
    private static final int MAX_DESCRIPTORS = 64;
    /** A directory larger than this is not a CoreOS ISO directory; refuse instead of reading it. */
    private static final long MAX_DIRECTORY_BYTES = 4L << 20;
    private static final String[] IGNITION_PATH = {"images", "ignition.img"};
    private static final String[] IGNINFO_PATH = {"coreos", "igninfo.json"};
    private static final int MAX_IGNINFO_BYTES = 64 * 1024;

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
            DirRecord root = DirRecord.parse(pvd, 156);
            DirRecord info = lookup(iso, size, root, IGNINFO_PATH);
            EmbedArea area = info != null ? fromIgninfo(iso, size, root, info) : null;
            if (area == null) {
                DirRecord img = lookup(iso, size, root, IGNITION_PATH);
                if (img == null) {
                    throw new InvalidBaseImageException("base ISO has neither /coreos/igninfo.json nor"
                            + " /images/ignition.img: no Ignition embed area (not a CoreOS live ISO?)");
                }
                area = new EmbedArea(img.extent() * SECTOR, img.length());
            }
            if (area.end() > size) {
                throw new InvalidBaseImageException("embed area " + area.offset() + "+" + area.length()
                        + " lies beyond the end of the base ISO (" + size + " bytes): truncated file?");
            }
            return area;
        } catch (IOException e) {
            throw new InvalidBaseImageException("cannot read base ISO: " + e.getMessage(), e);
        }
    }

    /** The area /coreos/igninfo.json describes; offsets in 64 bits (upstream's Go code wrapped at 4 GiB). */
    private static EmbedArea fromIgninfo(FileChannel iso, long size, DirRecord root, DirRecord info)
            throws IOException, InvalidBaseImageException {
        if (info.directory() || info.length() > MAX_IGNINFO_BYTES || info.extent() * SECTOR + info.length() > size) {
            throw new InvalidBaseImageException("base ISO's /coreos/igninfo.json is not a readable file");
        }
        ByteBuffer raw = read(iso, info.extent() * SECTOR, (int) info.length());
        String file;
        long offset;
        Long length;
        try (jakarta.json.JsonReader r = jakarta.json.Json.createReader(
                new java.io.StringReader(new String(raw.array(), StandardCharsets.UTF_8)))) {
            jakarta.json.JsonObject o = r.readObject();
            file = o.getString("file");
            offset = o.containsKey("offset") ? o.getJsonNumber("offset").longValueExact() : 0;
            length = o.containsKey("length") ? o.getJsonNumber("length").longValueExact() : null;
        } catch (RuntimeException e) {
            throw new InvalidBaseImageException("base ISO's /coreos/igninfo.json cannot be read: " + e.getMessage()
                    + " (expected {\"file\": \"images/...\", \"offset\": N, \"length\": N})");
        }
        DirRecord target = lookup(iso, size, root, file.replaceAll("^/+", "").split("/"));
        if (target == null || target.directory()) {
            throw new InvalidBaseImageException("base ISO's /coreos/igninfo.json names " + file
                    + " as the embed area's file, but the ISO has no such file");
        }
        long len = length != null ? length : target.length() - offset;
        if (offset < 0 || len < 0 || offset + len > target.length()) {
            throw new InvalidBaseImageException("base ISO's /coreos/igninfo.json gives an embed area (offset " + offset
                    + ", length " + len + ") outside " + file + " (" + target.length() + " bytes)");
        }
        return new EmbedArea(target.extent() * SECTOR + offset, len);
    }

    /** The record at {@code path} below {@code root}, or null when a component is missing or not a directory. */
    private static DirRecord lookup(FileChannel iso, long size, DirRecord root, String[] path)
            throws IOException, InvalidBaseImageException {
        DirRecord dir = root;
        for (int i = 0; i < path.length; i++) {
            if (!dir.directory() && dir != root) {
                return null;
            }
            DirRecord next = find(iso, size, dir, path[i].toLowerCase(Locale.ROOT));
            if (next == null || (i < path.length - 1 && !next.directory())) {
                return null;
            }
            dir = next;
        }
        return dir;
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
            if (name.equals(record.name()) || short83(name).equals(record.name())) {
                return record;
            }
            pos += len;
        }
        return null;
    }

    /** The ISO 9660 level-1 form of a name (igninfo.json → igninfo.jso), as plain ISO 9660 records it. */
    static String short83(String name) {
        int dot = name.lastIndexOf('.');
        String base = dot < 0 ? name : name.substring(0, dot);
        String ext = dot < 0 ? "" : name.substring(dot + 1);
        base = base.length() > 8 ? base.substring(0, 8) : base;
        ext = ext.length() > 3 ? ext.substring(0, 3) : ext;
        return ext.isEmpty() ? base : base + "." + ext;
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
