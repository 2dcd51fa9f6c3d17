package io.metal3.icc.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs independent command-line tools (xorriso, cpio, gzip, cmp) for byte checks. */
public final class Tools {

    private Tools() {
    }

    public record Result(int exit, String stdout, String stderr) {
    }

    /** Runs {@code sh -c script} in {@code dir}; fails the test if it exits non-zero. */
    public static Result sh(Path dir, String script) {
        Result r = run(dir, List.of("sh", "-c", script));
        assertEquals(0, r.exit(), () -> "command failed: " + script + "\nstdout: " + r.stdout() + "\nstderr: " + r.stderr());
        return r;
    }

    public static Result run(Path dir, List<String> command) {
        for (String tool : List.of("xorriso", "cpio", "gzip", "cmp")) {
            if (command.stream().anyMatch(c -> c.contains(tool)) && !available(tool)) {
                fail(tool + " is required by this test: apt-get install -y xorriso cpio (bash .ci/run installs them)");
            }
        }
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).start();
            // Read both streams beside the wait: a command that hangs must fail the test after the
            // timeout, not block it on a read that never ends.
            var out = drain(p.getInputStream());
            var err = drain(p.getErrorStream());
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("timed out after 60 s: " + command);
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("cannot run " + command, e);
        }
    }

    /** The stream's text, read by a thread of its own. */
    private static java.util.concurrent.CompletableFuture<String> drain(java.io.InputStream in) {
        var text = new java.util.concurrent.CompletableFuture<String>();
        Thread t = new Thread(() -> {
            try (in) {
                text.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.complete("");  // the process was killed
            }
        }, "command-output");
        t.setDaemon(true);
        t.start();
        return text;
    }

    /**
     * The config.ign inside an ISO, read with xorriso and GNU cpio (independent of our code).
     * @param isoPath the embed area's path inside the ISO, e.g. /IMAGES/IGNITION.IMG
     */
    public static String ignitionFromIso(Path dir, String isoFile, String isoPath) throws IOException {
        java.nio.file.Files.createDirectories(dir.resolve("x"));
        sh(dir, "xorriso -osirrox on -indev " + isoFile + " -extract " + isoPath + " emb.img 2>/dev/null");
        sh(dir.resolve("x"), "gzip -dc < ../emb.img | cpio -idm --quiet");
        return java.nio.file.Files.readString(dir.resolve("x/config.ign"));
    }

    /**
     * A CoreOS-like ISO made by xorriso with /coreos/igninfo.json holding {@code igninfo}, an
     * {@code images/cdboot.img} of {@code cdbootBytes} pseudo-random bytes (as on s390x, where the
     * embed area lies inside it) and no {@code images/ignition.img} unless {@code withIgnitionImg}.
     */
    public static Path coreosIso(Path dir, String name, String igninfo, int cdbootBytes, boolean withIgnitionImg)
            throws IOException {
        Path src = dir.resolve(name + ".src");
        java.nio.file.Files.createDirectories(src.resolve("coreos"));
        java.nio.file.Files.createDirectories(src.resolve("images/pxeboot"));
        byte[] cdboot = new byte[cdbootBytes];
        new java.util.Random(cdbootBytes).nextBytes(cdboot);
        java.nio.file.Files.write(src.resolve("images/cdboot.img"), cdboot);
        java.nio.file.Files.write(src.resolve("images/pxeboot/initrd.img"), new byte[10_000]);
        if (withIgnitionImg) {
            java.nio.file.Files.write(src.resolve("images/ignition.img"), new byte[256 * 1024]);
        }
        java.nio.file.Files.writeString(src.resolve("coreos/igninfo.json"), igninfo);
        Result r = sh(dir, "xorriso -as mkisofs -quiet -R -J -V rhcos -o " + name + " " + name + ".src");
        assertEquals(0, r.exit(), r.stderr());
        return dir.resolve(name);
    }

    public static boolean available(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Path.of(dir, tool).toFile().canExecute()) {
                return true;
            }
        }
        return false;
    }
}
