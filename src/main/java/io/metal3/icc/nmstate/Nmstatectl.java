package io.metal3.icc.nmstate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Converts with the nmstatectl binary ({@code nmstatectl gc /dev/stdin}, as upstream), for users
 * who want nmstate's own binary (the built-in converter gives the same keyfiles). Run once per
 * build, with a timeout; its stderr becomes the error message.
 */
public final class Nmstatectl {

    /** stderr kept for the message: the condition message is bounded anyway. */
    private static final int MAX_STDERR = 8192;

    private final String binary;
    private final Duration timeout;

    public Nmstatectl(String binary, Duration timeout) {
        this.binary = binary;
        this.timeout = timeout;
    }

    /**
     * @throws NmstateException nmstatectl refused the input (message = its stderr)
     * @throws IOException      nmstatectl could not be run or timed out (not the input's fault)
     */
    public List<NetworkKeyfile> convert(byte[] yaml) throws NmstateException, IOException {
        Process p;
        try {
            p = new ProcessBuilder(binary, "gc", "/dev/stdin").start();
        } catch (IOException e) {
            throw new IOException("cannot run nmstatectl (NMSTATECTL=" + binary + "): " + e.getMessage(), e);
        }
        CompletableFuture<byte[]> out = drain(p.getInputStream(), Integer.MAX_VALUE);
        CompletableFuture<byte[]> err = drain(p.getErrorStream(), MAX_STDERR);
        try (OutputStream in = p.getOutputStream()) {
            in.write(yaml);
        } catch (IOException e) {
            // nmstatectl may exit before reading everything; its exit status says what happened.
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException("nmstatectl did not finish within " + timeout.toSeconds() + " s");
            }
            String stderr = new String(err.join(), StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0) {
                if (stderr.isEmpty()) {
                    throw new IOException("nmstatectl exited with status " + p.exitValue() + " and no message");
                }
                throw new NmstateException(NmstateException.INVALID_ARGUMENT, lastLines(stderr));
            }
            return parse(new String(out.join(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running nmstatectl", e);
        }
    }

    static List<NetworkKeyfile> parse(String stdout) throws NmstateException {
        if (stdout.strip().equals("--- {}")) {
            return List.of(); // old Python nmstate's answer for an empty state
        }
        Object doc = new org.yaml.snakeyaml.Yaml().load(stdout);
        List<NetworkKeyfile> files = new ArrayList<>();
        if (doc instanceof Map<?, ?> m && m.get("NetworkManager") instanceof List<?> list) {
            for (Object o : list) {
                if (!(o instanceof List<?> pair) || pair.size() != 2) {
                    throw NmstateException.invalid("unexpected nmstatectl output");
                }
                files.add(new NetworkKeyfile(String.valueOf(pair.get(0)), String.valueOf(pair.get(1))));
            }
        }
        return files;
    }

    /** The error is at the end of nmstatectl's log output. */
    private static String lastLines(String stderr) {
        List<String> lines = stderr.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }

    private static CompletableFuture<byte[]> drain(InputStream in, int limit) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                byte[] chunk = new byte[8192];
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    if (buf.size() < limit) {
                        buf.write(chunk, 0, Math.min(n, limit - buf.size()));
                    }
                }
                return buf.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
