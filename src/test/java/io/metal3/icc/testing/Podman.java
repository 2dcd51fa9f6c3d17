package io.metal3.icc.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs podman with the settings these machines need (src/test/container/containers.conf: runc,
 * lowered rlimits), output to a file so that a long build cannot fill a pipe.
 */
public final class Podman {

    public static final Path CONF = Path.of("src/test/container/containers.conf").toAbsolutePath();

    private Podman() {
    }

    public static boolean available() {
        return Tools.available("podman");
    }

    public static Tools.Result run(Duration timeout, String... args) {
        List<String> command = new ArrayList<>();
        command.add("podman");
        command.addAll(List.of(args));
        return exec(timeout, command);
    }

    /** Runs {@code command} with CONTAINERS_CONF set; stdout and stderr together in {@code stdout}. */
    public static Tools.Result exec(Duration timeout, List<String> command) {
        Path log = null;
        try {
            log = Files.createTempFile("podman", ".log");
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putIfAbsent("CONTAINERS_CONF", CONF.toString());
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out after " + timeout + ": " + command + "\n" + Files.readString(log));
            }
            return new Tools.Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8), "");
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("cannot run " + command, e);
        } finally {
            if (log != null) {
                log.toFile().delete();
            }
        }
    }
}
