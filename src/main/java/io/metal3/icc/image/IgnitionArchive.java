package io.metal3.icc.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;

/**
 * The gzip'd newc CPIO archive holding {@code config.ign}: the form both the kernel's initramfs
 * loader and CoreOS' live ISO {@code ignition.img} read.
 */
public final class IgnitionArchive {

    public static final String ENTRY_NAME = "config.ign";
    /** Regular file, rw-r--r--. */
    public static final int ENTRY_MODE = 0100644;

    private IgnitionArchive() {
    }

    /** Deterministic: the same Ignition always gives the same bytes (mtime 0, gzip mtime 0). */
    public static byte[] of(byte[] ignition) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ignition.length / 2 + 512);
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes);
             // Block size 4: newc is already 4-aligned, so nothing is padded after the trailer.
             CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(
                     gzip, CpioConstants.FORMAT_NEW, 4, StandardCharsets.US_ASCII.name())) {
            CpioArchiveEntry entry = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, ENTRY_NAME, ignition.length);
            entry.setMode(ENTRY_MODE);
            entry.setNumberOfLinks(1);
            entry.setTime(0);
            cpio.putArchiveEntry(entry);
            cpio.write(ignition);
            cpio.closeArchiveEntry();
            cpio.finish();
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory archive failed", e);
        }
        return bytes.toByteArray();
    }
}
