package io.metal3.icc.it;

import java.nio.file.Files;
import java.nio.file.Path;

import io.metal3.icc.demo.SampleImages;

/**
 * Inputs of the integration-test servers, written before they start: sample base images and NMState
 * files, and the kubeconfig of the mock API server (which may start a moment later: the controller
 * retries until it answers). Usage: {@code ItFixtures DIR API_PORT}.
 */
public final class ItFixtures {

    /** The directory Liberty keeps its servers in (pid files, logs). */
    static final Path SERVERS = Path.of(System.getProperty("liberty.servers.dir", "target/liberty/wlp/usr/servers"));

    private ItFixtures() {
    }

    /** messages.log of the static-mode server. */
    static Path staticServerLog() {
        return SERVERS.resolve("icc-static/logs/messages.log");
    }

    static final int S390X_OFFSET = 132096;
    static final int S390X_LENGTH = 262144;

    /** When the two-replica servers were about to start (ms since the epoch): their API is absent until 30 s later. */
    static Path haStartedAt(Path dir) {
        return dir.resolve("ha-started-at");
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        SampleImages.generate(dir, 4L << 20);
        Files.writeString(dir.resolve("kubeconfig"), MockApiServerMain.kubeconfig(Integer.parseInt(args[1])));
        Files.writeString(dir.resolve("kubeconfig-ha"), MockApiServerMain.kubeconfig(Integer.parseInt(args[2])));
        // Replica B's own copy of the base images: another path, inode and mtime, the same bytes.
        Path b = Files.createDirectories(dir.resolve("replica-b"));
        for (String f : new String[] {"base.iso", "base.initramfs"}) {
            Files.copy(dir.resolve(f), b.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(b.resolve(f), java.nio.file.attribute.FileTime.fromMillis(0));
        }
        // An s390x-style base (the embed area inside images/cdboot.img, per /coreos/igninfo.json) beside
        // DEPLOY_ISO: the controller-mode server supports architecture s390x from it.
        Files.move(io.metal3.icc.testing.Tools.coreosIso(dir, "s390x-build.iso",
                "{\"file\": \"images/cdboot.img\", \"offset\": " + S390X_OFFSET + ", \"length\": " + S390X_LENGTH + "}",
                600_000, false), dir.resolve("base_s390x.iso"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(dir.resolve("base.initramfs"), dir.resolve("base_s390x.initramfs"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        // PXE kernels (host and s390x) and a CoreOS stream rhel-10 of the host architecture, all
        // with contents of their own so that a test can tell which file was served.
        Files.write(dir.resolve("base.kernel"), random(100_000, 1));
        Files.write(dir.resolve("base_s390x.kernel"), random(50_000, 2));
        byte[] iso = Files.readAllBytes(dir.resolve("base.iso"));
        iso[100] ^= 1; // the system area: still the same, valid ISO
        Files.write(dir.resolve("base-rhel-10.iso"), iso);
        Files.write(dir.resolve("base-rhel-10.initramfs"), random(64_000, 3));
        Files.write(dir.resolve("base-rhel-10.kernel"), random(30_000, 4));
        Files.writeString(haStartedAt(dir), Long.toString(System.currentTimeMillis()));
    }
}
