package io.metal3.icc.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageLayoutTest {

    @TempDir
    Path dir;
    Path base;
    byte[] baseBytes;

    @BeforeEach
    void base() throws IOException {
        baseBytes = new byte[100_000];
        new Random(1).nextBytes(baseBytes);
        base = dir.resolve("base");
        Files.write(base, baseBytes);
    }

    @Test
    void anInterruptedReaderLeavesTheSharedChannelOpen() throws Exception {
        ImageLayout layout = ImageLayout.file(baseBytes.length);
        try (FileChannel ch = FileChannel.open(base, StandardOpenOption.READ)) {
            Thread.currentThread().interrupt();
            try {
                assertThrows(java.io.InterruptedIOException.class,
                        () -> layout.write(ch, 0, 10, new ByteArrayOutputStream(), new byte[16]));
            } finally {
                Thread.interrupted();
            }
            org.junit.jupiter.api.Assertions.assertTrue(ch.isOpen(), "reading while interrupted would have closed it");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            layout.write(ch, 0, 10, out, new byte[16]);
            assertArrayEquals(Arrays.copyOf(baseBytes, 10), out.toByteArray());
        }
    }

    @Test
    void isoReplacesEmbedAreaAndZeroFillsTheRest() throws Exception {
        byte[] archive = {1, 2, 3, 4, 5};
        EmbedArea area = new EmbedArea(40_960, 8192);
        ImageLayout layout = ImageLayout.iso(baseBytes.length, area, archive);
        assertEquals(baseBytes.length, layout.size());
        assertEquals(4, layout.segments().size());

        byte[] expected = baseBytes.clone();
        Arrays.fill(expected, 40_960, 40_960 + 8192, (byte) 0);
        System.arraycopy(archive, 0, expected, 40_960, archive.length);
        assertArrayEquals(expected, read(layout, 0, layout.size(), 7));
    }

    @Test
    void archiveFillingTheWholeAreaLeavesNoZeroSegment() throws Exception {
        ImageLayout layout = ImageLayout.iso(baseBytes.length, new EmbedArea(2048, 4), new byte[] {9, 9, 9, 9});
        assertEquals(3, layout.segments().size());
        assertEquals(baseBytes.length, layout.size());
    }

    @Test
    void archiveLargerThanAreaNamesBothSizes() {
        var e = assertThrows(EmbedAreaTooSmallException.class,
                () -> ImageLayout.iso(baseBytes.length, new EmbedArea(2048, 10), new byte[11]));
        assertEquals("content length (11) exceeds embed area size (10)", e.getMessage());
        assertEquals(11, e.contentLength());
        assertEquals(10, e.areaLength());
    }

    @Test
    void initramfsAppendsArchive() throws Exception {
        byte[] archive = new byte[777];
        new Random(2).nextBytes(archive);
        ImageLayout layout = ImageLayout.initramfs(baseBytes.length, archive);
        assertEquals(baseBytes.length + 777, layout.size());
        byte[] all = read(layout, 0, layout.size(), 4096);
        assertArrayEquals(baseBytes, Arrays.copyOf(all, baseBytes.length));
        assertArrayEquals(archive, Arrays.copyOfRange(all, baseBytes.length, all.length));
    }

    @Test
    void anyRangeEqualsTheSameSliceOfTheWhole() throws Exception {
        byte[] archive = new byte[3000];
        new Random(3).nextBytes(archive);
        ImageLayout layout = ImageLayout.iso(baseBytes.length, new EmbedArea(20_480, 6144), archive);
        byte[] whole = read(layout, 0, layout.size(), 1000);
        Random r = new Random(4);
        for (int i = 0; i < 2000; i++) {
            long from = r.nextInt((int) layout.size());
            long len = r.nextInt((int) (layout.size() - from) + 1);
            int buf = 1 + r.nextInt(5000);
            assertArrayEquals(Arrays.copyOfRange(whole, (int) from, (int) (from + len)), read(layout, from, len, buf),
                    "range " + from + "+" + len);
        }
    }

    @Test
    void truncatedBaseFailsInsteadOfSendingShortData() throws Exception {
        ImageLayout layout = ImageLayout.initramfs(baseBytes.length, new byte[10]);
        try (FileChannel ch = FileChannel.open(base, StandardOpenOption.WRITE)) {
            ch.truncate(50_000);
        }
        assertThrows(EOFException.class, () -> read(layout, 0, layout.size(), 8192));
    }

    @Test
    void rangeOutsideImageIsRejected() {
        ImageLayout layout = ImageLayout.initramfs(baseBytes.length, new byte[10]);
        assertThrows(IndexOutOfBoundsException.class, () -> read(layout, layout.size() - 5, 6, 16));
    }

    private byte[] read(ImageLayout layout, long from, long length, int bufferSize) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (FileChannel ch = FileChannel.open(base, StandardOpenOption.READ)) {
            layout.write(ch, from, length, out, new byte[bufferSize]);
        }
        return out.toByteArray();
    }
}
