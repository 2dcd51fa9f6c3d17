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

    /** When the two-replica servers were about to start (ms since the epoch): their API is absent until 30 s later. */
    static Path haStartedAt(Path dir) {
        return dir.resolve("ha-started-at");
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
        Files.writeString(haStartedAt(dir), Long.toString(System.currentTimeMillis()));
    }
}
