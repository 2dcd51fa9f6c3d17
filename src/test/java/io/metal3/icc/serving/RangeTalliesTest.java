package io.metal3.icc.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class RangeTalliesTest {

    @Test
    void sumsPerImageAndForgetsIdleOnes() {
        RangeTallies t = new RangeTallies();
        t.add("worker-0.iso", "worker-0.iso", 65536, 2_000_000);
        t.add("worker-0.iso", "worker-0.iso", 1000, 7_500_000);
        t.add("0123456789abcdef", "01234567...", 10, 0);
        assertEquals(List.of("GET 01234567... ranges=1 status=206 bytes=10 max-ms=0 (last 10 s)",
                "GET worker-0.iso ranges=2 status=206 bytes=66536 max-ms=7 (last 10 s)"), t.drain("last 10 s"));
        assertEquals(List.of(), t.drain("p"), "nothing read since: no line");
        t.add("worker-0.iso", "worker-0.iso", 5, 0);
        assertEquals(List.of("GET worker-0.iso ranges=1 status=206 bytes=5 max-ms=0 (p)"), t.drain("p"),
                "an image forgotten when idle is tallied afresh");
    }

    @Test
    void noReadIsLostWhileDrainsRunConcurrently() throws Exception {
        RangeTallies t = new RangeTallies();
        int threads = 4;
        int perThread = 200_000;
        List<Thread> adders = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            String name = "img-" + (i % 2);
            Thread a = new Thread(() -> {
                for (int n = 0; n < perThread; n++) {
                    t.add(name, name, 3, 0);
                }
            });
            adders.add(a);
        }
        List<String> lines = new ArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread drainer = new Thread(() -> {
            while (!done.get()) {
                lines.addAll(t.drain("p"));
            }
        });
        drainer.start();
        adders.forEach(Thread::start);
        for (Thread a : adders) {
            a.join();
        }
        done.set(true);
        drainer.join();
        lines.addAll(t.drain("p"));
        Pattern p = Pattern.compile("ranges=(\\d+) status=206 bytes=(\\d+)");
        long requests = 0;
        long bytes = 0;
        for (String line : lines) {
            Matcher m = p.matcher(line);
            assertTrue(m.find(), line);
            requests += Long.parseLong(m.group(1));
            bytes += Long.parseLong(m.group(2));
        }
        assertEquals((long) threads * perThread, requests);
        assertEquals(3L * threads * perThread, bytes);
        assertTrue(lines.size() > 2, "drained while reads were under way: " + lines.size());
    }
}
