package io.metal3.icc.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;

/**
 * Generates sample inputs for static mode when none are given: a CoreOS-like live ISO with a
 * 256 KiB {@code /images/ignition.img} embed area, a gzip'd cpio initramfs, and NMState files.
 * Existing files are kept. Usage: {@code SampleImages DIR [--rootfs-mib N]}.
 */
public final class SampleImages {

    public static final int EMBED_AREA = 256 * 1024;

    private SampleImages() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: SampleImages DIR [--rootfs-mib N]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        long rootfs = 4L << 20;
        if (args.length == 3 && args[1].equals("--rootfs-mib")) {
            rootfs = Long.parseLong(args[2]) << 20;
        }
        generate(dir, rootfs);
    }

    public static void generate(Path dir, long rootfsBytes) throws IOException {
        Files.createDirectories(dir.resolve("nmstate"));
        Path initrd = dir.resolve("base.initramfs");
        if (!Files.exists(initrd)) {
            Files.write(initrd, initramfs());
            System.out.println("generated " + initrd);
        }
        Path iso = dir.resolve("base.iso");
        if (!Files.exists(iso)) {
            byte[] initrdBytes = Files.readAllBytes(initrd);
            IsoWriter.write(iso, "rhcos-sample", List.of(
                    new IsoWriter.FileEntry("images/ignition.img", EMBED_AREA, out -> out.write(new byte[EMBED_AREA])),
                    new IsoWriter.FileEntry("images/pxeboot/initrd.img", initrdBytes.length, out -> out.write(initrdBytes)),
                    new IsoWriter.FileEntry("images/rootfs.img", rootfsBytes, out -> pattern(out, rootfsBytes))));
            System.out.println("generated " + iso);
        }
        writeIfAbsent(dir.resolve("nmstate/worker-0.yaml"), """
                interfaces:
                - name: eth0
                  type: ethernet
                  state: up
                  ipv4:
                    enabled: true
                    dhcp: false
                    address:
                    - ip: 192.0.2.50
                      prefix-length: 24
                  ipv6:
                    enabled: false
                routes:
                  config:
                  - destination: 0.0.0.0/0
                    next-hop-address: 192.0.2.1
                    next-hop-interface: eth0
                dns-resolver:
                  config:
                    server:
                    - 192.0.2.1
                """);
        writeIfAbsent(dir.resolve("nmstate/worker-1.yaml"), """
                interfaces:
                - name: eth0
                  type: ethernet
                  state: up
                  ipv4:
                    enabled: true
                    dhcp: true
                  ipv6:
                    enabled: true
                    dhcp: true
                    autoconf: true
                """);
    }

    private static void writeIfAbsent(Path file, String content) throws IOException {
        if (!Files.exists(file)) {
            Files.writeString(file, content, StandardCharsets.UTF_8);
            System.out.println("generated " + file);
        }
    }

    /** A small real initramfs: gzip'd newc cpio with an /init script and /etc/os-release. */
    static byte[] initramfs() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(new GZIPOutputStream(bytes),
                CpioConstants.FORMAT_NEW, 512, StandardCharsets.US_ASCII.name())) {
            dir(cpio, "etc");
            file(cpio, "etc/os-release", 0100644, "NAME=\"Sample CoreOS\"\nID=rhcos\n");
            file(cpio, "init", 0100755, "#!/bin/sh\necho sample initramfs\n");
            cpio.finish();
        }
        return bytes.toByteArray();
    }

    private static void dir(CpioArchiveOutputStream cpio, String name) throws IOException {
        CpioArchiveEntry e = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, name, 0);
        e.setMode(040755);
        e.setNumberOfLinks(2);
        cpio.putArchiveEntry(e);
        cpio.closeArchiveEntry();
    }

    private static void file(CpioArchiveOutputStream cpio, String name, int mode, String content) throws IOException {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        CpioArchiveEntry e = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, name, data.length);
        e.setMode(mode);
        e.setNumberOfLinks(1);
        cpio.putArchiveEntry(e);
        cpio.write(data);
        cpio.closeArchiveEntry();
    }

    /** Deterministic non-zero filler, so byte comparisons of served images mean something. */
    static void pattern(OutputStream out, long length) throws IOException {
        byte[] block = new byte[1 << 16];
        long x = 0x9E3779B97F4A7C15L;
        long written = 0;
        while (written < length) {
            for (int i = 0; i < block.length; i += 8) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                for (int j = 0; j < 8; j++) {
                    block[i + j] = (byte) (x >>> (8 * j));
                }
            }
            int n = (int) Math.min(block.length, length - written);
            out.write(block, 0, n);
            written += n;
        }
    }
}
