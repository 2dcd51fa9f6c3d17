package io.metal3.icc.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class MetricRegistryTest {

    private static final List<String> APP = List.of("mp_scope", "application");

    private static String write(MetricRegistry r) {
        Exposition out = new Exposition();
        r.write(out, APP);
        return out.toString();
    }

    @Test
    void countersWithLabelsAreOneFamily() {
        MetricRegistry r = new MetricRegistry();
        r.counter("icc_image_requests_total", "Image requests", "status", "200").add(3);
        r.counter("icc_image_requests_total", "Image requests", "status", "404").increment();
        r.counter("icc_image_requests_total", "Image requests", "status", "200").increment();
        assertEquals("""
                # HELP icc_image_requests_total Image requests
                # TYPE icc_image_requests_total counter
                icc_image_requests_total{mp_scope="application",status="200"} 4.0
                icc_image_requests_total{mp_scope="application",status="404"} 1.0
                """, write(r));
    }

    @Test
    void theSameLabelsGiveTheSameCounter() {
        MetricRegistry r = new MetricRegistry();
        assertSame(r.counter("a_total", "a", "x", "1"), r.counter("a_total", "a", "x", "1"));
    }

    @Test
    void gaugesAreReadAtEachWrite() {
        MetricRegistry r = new MetricRegistry();
        AtomicInteger v = new AtomicInteger(4);
        r.gauge("icc_images_registered", "Images being served", v::get);
        assertTrue(write(r).contains("\nicc_images_registered{mp_scope=\"application\"} 4.0\n"));
        v.set(5);
        assertTrue(write(r).contains("\nicc_images_registered{mp_scope=\"application\"} 5.0\n"));
    }

    @Test
    void aNameKeepsItsType() {
        MetricRegistry r = new MetricRegistry();
        r.gauge("x", "x", () -> 1);
        assertThrows(IllegalArgumentException.class, () -> r.counter("x", "x"));
    }

    @Test
    void timersAreSummariesInSecondsWithARecentMaximum() {
        MetricRegistry r = new MetricRegistry();
        Timer t = r.timer("icc_reconcile_duration_seconds", "Time per reconcile");
        for (int ms = 1; ms <= 100; ms++) {
            t.record(ms * 1_000_000L);
        }
        String text = write(r);
        assertTrue(text.contains("# TYPE icc_reconcile_duration_seconds summary\n"), text);
        assertTrue(text.contains("# TYPE icc_reconcile_duration_seconds_max gauge\n"), text);
        assertTrue(text.contains("icc_reconcile_duration_seconds_max{mp_scope=\"application\"} 0.1\n"), text);
        assertTrue(text.contains("icc_reconcile_duration_seconds{mp_scope=\"application\",quantile=\"0.5\"} 0.05\n"), text);
        assertTrue(text.contains("icc_reconcile_duration_seconds{mp_scope=\"application\",quantile=\"0.99\"} 0.099\n"), text);
        assertTrue(text.contains("icc_reconcile_duration_seconds_count{mp_scope=\"application\"} 100.0\n"), text);
        assertTrue(text.contains("icc_reconcile_duration_seconds_sum{mp_scope=\"application\"} 5.05\n"), text);
    }

    @Test
    void timerQuantilesFollowTheRecentWindowWhileCountAndSumKeepEverything() {
        Timer t = new Timer();
        for (int i = 0; i < Timer.WINDOW; i++) {
            t.record(1_000_000_000L);
        }
        for (int i = 0; i < Timer.WINDOW; i++) {
            t.record(2);
        }
        Timer.Snapshot s = t.snapshot();
        assertEquals(2 * Timer.WINDOW, s.count());
        assertEquals(Timer.WINDOW * 1_000_000_002L, s.sumNanos());
        assertEquals(2, s.max(), "the long ones have left the window");
        assertEquals(2, s.quantile(0.999));
    }

    @Test
    void anUnusedTimerWritesZeros() {
        MetricRegistry r = new MetricRegistry();
        r.timer("t_seconds", "t");
        String text = write(r);
        assertTrue(text.contains("t_seconds_count{mp_scope=\"application\"} 0.0\n"), text);
        assertTrue(text.contains("t_seconds{mp_scope=\"application\",quantile=\"0.5\"} 0.0\n"), text);
    }

    @Test
    void labelValuesAndHelpAreEscaped() {
        MetricRegistry r = new MetricRegistry();
        r.counter("c_total", "two\nlines \\ \"quoted\"", "v", "a\"b\\c\nd").increment();
        assertEquals("""
                # HELP c_total two\\nlines \\\\ "quoted"
                # TYPE c_total counter
                c_total{mp_scope="application",v="a\\"b\\\\c\\nd"} 1.0
                """, write(r));
    }

    @Test
    void specialValuesUsePrometheusSpelling() {
        assertEquals("NaN", Exposition.format(Double.NaN));
        assertEquals("+Inf", Exposition.format(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", Exposition.format(Double.NEGATIVE_INFINITY));
        assertEquals("2.68746752E8", Exposition.format(268746752L));
    }

    /** Every line is a comment or `name{labels} value` as Prometheus' text parser reads it. */
    @Test
    void theJvmScopeIsWellFormed() {
        Exposition out = new Exposition();
        JvmMetrics.write(out, List.of("mp_scope", "base"));
        Pattern line = Pattern.compile("# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*"
                + "|[a-zA-Z_:][a-zA-Z0-9_:]*\\{mp_scope=\"base\"(,[a-zA-Z_]+=\"[^\"]*\")*\\} [-+0-9.E]+|NaN");
        String text = out.toString();
        for (String l : text.split("\n")) {
            assertTrue(line.matcher(l).matches(), l);
        }
        for (String name : List.of("memory_usedHeap_bytes", "memory_committedHeap_bytes", "memory_maxHeap_bytes",
                "gc_total", "gc_time_seconds", "thread_count", "classloader_loadedClasses_count",
                "cpu_availableProcessors", "cpu_processCpuTime_seconds", "jvm_uptime_seconds")) {
            assertTrue(text.contains("\n" + name + "{mp_scope=\"base\""), name + " missing:\n" + text);
        }
    }
}
