package io.metal3.icc.testing;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads an image as BMC virtual media does: fixed-size ranges in order (wrapping at the end) over
 * one keep-alive HTTP/1.1 connection, at a steady rate, comparing every byte with the expected image.
 * A plain socket, so that nothing retries behind its back: a failed read (refused, reset, closed
 * without a response, cut short, not 206) is counted and retried once on a new connection; a
 * {@code Connection: close} response ends the connection cleanly after its body.
 */
public final class RangeReader implements Runnable {

    private final String host;
    private final int port;
    private final String path;
    private final byte[] expected;
    private final int rangeSize;
    private final long nanosPerRange;
    private volatile boolean running = true;
    private long next;

    public final AtomicLong reads = new AtomicLong();
    public final AtomicLong bytesRead = new AtomicLong();
    public final AtomicLong rawFailures = new AtomicLong();
    public final AtomicLong failedAfterRetry = new AtomicLong();
    public final AtomicLong wrongBytes = new AtomicLong();
    public final AtomicLong closedByServer = new AtomicLong();
    public final AtomicLong connections = new AtomicLong();
    /** What went wrong, with System.nanoTime() first. */
    public final List<String> failures = new CopyOnWriteArrayList<>();

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    /**
     * @param bytesPerSecond the reading rate (a BMC reads at a few MiB/s)
     * @param start          the first offset (readers start at different places)
     */
    public RangeReader(String host, int port, String path, byte[] expected, int rangeSize, long bytesPerSecond, long start) {
        this.host = host;
        this.port = port;
        this.path = path;
        this.expected = expected;
        this.rangeSize = rangeSize;
        this.nanosPerRange = rangeSize * 1_000_000_000L / bytesPerSecond;
        this.next = start % expected.length;
    }

    public void stop() {
        running = false;
    }

    @Override
    public void run() {
        long due = System.nanoTime();
        try {
            while (running) {
                long from = next;
                long to = Math.min(expected.length, from + rangeSize) - 1;
                String first = read(from, to);
                if (first != null) {
                    rawFailures.incrementAndGet();
                    String second = read(from, to);
                    failures.add(System.nanoTime() + " " + first + (second == null ? "; retry ok" : "; retry: " + second));
                    if (second != null) {
                        failedAfterRetry.incrementAndGet();
                    }
                }
                next = to + 1 == expected.length ? 0 : to + 1;
                due += nanosPerRange;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } else {
                    due = System.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            disconnect();
        }
    }

    /** One ranged GET; null when it read the right bytes, else what went wrong. */
    private String read(long from, long to) {
        boolean fresh = socket == null;
        long got = 0;
        try {
            if (fresh) {
                socket = new Socket();
                socket.connect(new InetSocketAddress(host, port), 2000);
                socket.setSoTimeout(15_000);
                in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
                out = socket.getOutputStream();
                connections.incrementAndGet();
            }
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nRange: bytes=" + from + "-" + to
                    + "\r\nUser-Agent: bmc-like-reader\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = line(in);
            long length = -1;
            boolean close = false;
            for (String h; !(h = line(in)).isEmpty(); ) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(h.substring(15).strip());
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                }
            }
            if (!status.startsWith("HTTP/1.1 206 ")) {
                disconnect();
                return "status " + status + (fresh ? "" : " (reused connection)");
            }
            if (length != to - from + 1) {
                disconnect();
                return "Content-Length " + length + " for " + (to - from + 1) + " bytes";
            }
            byte[] buffer = new byte[64 * 1024];
            long wrong = 0;
            while (got < length) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, length - got));
                if (n < 0) {
                    throw new EOFException("connection closed");
                }
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != expected[(int) (from + got + i)]) {
                        wrong++;
                    }
                }
                got += n;
            }
            reads.incrementAndGet();
            bytesRead.addAndGet(got);
            if (wrong > 0) {
                wrongBytes.addAndGet(wrong);
                failures.add(System.nanoTime() + " " + wrong + " wrong bytes in " + from + "-" + to);
            }
            if (close) {
                closedByServer.incrementAndGet();
                disconnect();
            }
            return null;
        } catch (IOException | RuntimeException e) {
            disconnect();
            return e.getClass().getSimpleName() + " " + e.getMessage() + " after " + got + " body bytes"
                    + (fresh ? " (new connection)" : " (reused connection)");
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new EOFException("connection closed before a response" + (b.length() > 0 ? " line: " + b : ""));
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    private void disconnect() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
            socket = null;
        }
    }
}
