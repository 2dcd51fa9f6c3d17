package io.metal3.icc.demo;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.metal3.icc.image.CountingOutputStream;

/**
 * Writes a plain ISO 9660 (level 1 names, no extensions) image: enough for sample CoreOS-like base
 * ISOs with {@code /images/ignition.img}. Real tools (xorriso, isoinfo) read the result.
 */
public final class IsoWriter {

    static final int SECTOR = 2048;

    /** A file to place at {@code path} (e.g. {@code images/ignition.img}). */
    public record FileEntry(String path, long length, Content content) {
    }

    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private static final class Dir {
        final String name;
        final Dir parent;
        final Map<String, Dir> dirs = new TreeMap<>();
        final Map<String, FileEntry> files = new TreeMap<>();
        int number;
        long lba;

        Dir(String name, Dir parent) {
            this.name = name;
            this.parent = parent;
        }
    }

    private IsoWriter() {
    }

    public static void write(Path target, String volumeId, List<FileEntry> entries) throws IOException {
        Dir root = new Dir("", null);
        for (FileEntry e : entries) {
            String[] parts = e.path().split("/");
            Dir d = root;
            for (int i = 0; i < parts.length - 1; i++) {
                Dir p = d;
                d = d.dirs.computeIfAbsent(isoDirName(parts[i]), n -> new Dir(n, p));
            }
            d.files.put(isoFileName(parts[parts.length - 1]), e);
        }
        List<Dir> dirs = new ArrayList<>();
        dirs.add(root);
        for (int i = 0; i < dirs.size(); i++) {
            dirs.addAll(dirs.get(i).dirs.values());
        }
        long next = 20; // 16 PVD, 17 terminator, 18 L path table, 19 M path table
        for (int i = 0; i < dirs.size(); i++) {
            dirs.get(i).number = i + 1;
            dirs.get(i).lba = next++;
        }
        Map<FileEntry, Long> fileLba = new LinkedHashMap<>();
        for (Dir d : dirs) {
            for (FileEntry f : d.files.values()) {
                fileLba.put(f, next);
                next += sectors(f.length());
            }
        }
        long totalSectors = next;

        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), 1 << 20)) {
            out.write(new byte[16 * SECTOR]);
            byte[] lTable = pathTable(dirs, ByteOrder.LITTLE_ENDIAN);
            out.write(primaryDescriptor(volumeId, totalSectors, lTable.length, root));
            out.write(terminator());
            out.write(pad(lTable));
            out.write(pad(pathTable(dirs, ByteOrder.BIG_ENDIAN)));
            for (Dir d : dirs) {
                out.write(directory(d, fileLba));
            }
            for (Map.Entry<FileEntry, Long> f : fileLba.entrySet()) {
                CountingOutputStream counted = new CountingOutputStream(out);
                f.getKey().content().writeTo(counted);
                if (counted.count() != f.getKey().length()) {
                    throw new IOException(f.getKey().path() + ": wrote " + counted.count() + " bytes, declared "
                            + f.getKey().length());
                }
                int tail = (int) (sectors(f.getKey().length()) * SECTOR - f.getKey().length());
                out.write(new byte[tail]);
            }
        }
    }

    private static long sectors(long bytes) {
        return (bytes + SECTOR - 1) / SECTOR;
    }

    private static String isoDirName(String name) {
        return name.toUpperCase(Locale.ROOT);
    }

    private static String isoFileName(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        return (n.contains(".") ? n : n + ".") + ";1";
    }

    private static byte[] primaryDescriptor(String volumeId, long totalSectors, int pathTableSize, Dir root) {
        ByteBuffer b = ByteBuffer.allocate(SECTOR);
        b.put(0, (byte) 1);
        ascii(b, 1, "CD001", 5);
        b.put(6, (byte) 1);
        ascii(b, 8, "LINUX", 32);
        ascii(b, 40, volumeId.toUpperCase(Locale.ROOT), 32);
        both32(b, 80, totalSectors);
        both16(b, 120, 1);
        both16(b, 124, 1);
        both16(b, 128, SECTOR);
        both32(b, 132, pathTableSize);
        b.order(ByteOrder.LITTLE_ENDIAN).putInt(140, 18);
        b.order(ByteOrder.BIG_ENDIAN).putInt(148, 19);
        b.put(156, record(new byte[] {0}, root.lba, SECTOR, true));
        for (int[] field : new int[][] {{190, 128}, {318, 128}, {446, 128}, {574, 128}, {702, 37}, {739, 37}, {776, 37}}) {
            ascii(b, field[0], "", field[1]);
        }
        String date = "2026010100000000";
        ascii(b, 813, date, 16);
        ascii(b, 830, date, 16);
        ascii(b, 847, "0000000000000000", 16);
        ascii(b, 864, date, 16);
        b.put(881, (byte) 1);
        return b.array();
    }

    private static byte[] terminator() {
        ByteBuffer b = ByteBuffer.allocate(SECTOR);
        b.put(0, (byte) 255);
        ascii(b, 1, "CD001", 5);
        b.put(6, (byte) 1);
        return b.array();
    }

    private static byte[] pathTable(List<Dir> dirs, ByteOrder order) {
        ByteBuffer b = ByteBuffer.allocate(SECTOR).order(order);
        for (Dir d : dirs) {
            byte[] name = d.parent == null ? new byte[] {0} : d.name.getBytes(StandardCharsets.US_ASCII);
            b.put((byte) name.length).put((byte) 0).putInt((int) d.lba)
                    .putShort((short) (d.parent == null ? 1 : d.parent.number)).put(name);
            if (name.length % 2 == 1) {
                b.put((byte) 0);
            }
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    private static byte[] directory(Dir d, Map<FileEntry, Long> fileLba) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(SECTOR);
        b.put(record(new byte[] {0}, d.lba, SECTOR, true));
        Dir parent = d.parent == null ? d : d.parent;
        b.put(record(new byte[] {1}, parent.lba, SECTOR, true));
        for (Dir sub : d.dirs.values()) {
            b.put(record(sub.name.getBytes(StandardCharsets.US_ASCII), sub.lba, SECTOR, true));
        }
        for (Map.Entry<String, FileEntry> f : d.files.entrySet()) {
            b.put(record(f.getKey().getBytes(StandardCharsets.US_ASCII), fileLba.get(f.getValue()),
                    f.getValue().length(), false));
        }
        return b.array();
    }

    private static byte[] record(byte[] name, long lba, long length, boolean directory) {
        int len = 33 + name.length + (name.length % 2 == 0 ? 1 : 0);
        ByteBuffer b = ByteBuffer.allocate(len);
        b.put(0, (byte) len);
        both32(b, 2, lba);
        both32(b, 10, length);
        b.put(18, (byte) 126).put(19, (byte) 1).put(20, (byte) 1); // 2026-01-01 00:00:00 UTC
        b.put(25, (byte) (directory ? 2 : 0));
        both16(b, 28, 1);
        b.put(32, (byte) name.length);
        b.put(33, name);
        return b.array();
    }

    private static byte[] pad(byte[] data) {
        return Arrays.copyOf(data, (int) sectors(data.length) * SECTOR);
    }

    private static void ascii(ByteBuffer b, int at, String s, int width) {
        byte[] padded = new byte[width];
        Arrays.fill(padded, (byte) ' ');
        byte[] src = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(src, 0, padded, 0, Math.min(width, src.length));
        b.put(at, padded);
    }

    private static void both16(ByteBuffer b, int at, int v) {
        b.order(ByteOrder.LITTLE_ENDIAN).putShort(at, (short) v);
        b.order(ByteOrder.BIG_ENDIAN).putShort(at + 2, (short) v);
    }

    private static void both32(ByteBuffer b, int at, long v) {
        b.order(ByteOrder.LITTLE_ENDIAN).putInt(at, (int) v);
        b.order(ByteOrder.BIG_ENDIAN).putInt(at + 4, (int) v);
    }
}
