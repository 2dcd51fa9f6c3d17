package io.metal3.icc.metrics;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM's own figures under the names and labels MicroProfile Metrics' base scope used
 * ({@code memory_usedHeap_bytes{mp_scope="base"}} …), read from the platform MXBeans at each scrape.
 */
public final class JvmMetrics {

    private JvmMetrics() {
    }

    public static void write(Exposition out, List<String> scope) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        gauge(out, scope, "memory_usedHeap_bytes", "Heap memory in use", heap.getUsed());
        gauge(out, scope, "memory_committedHeap_bytes", "Heap memory committed by the JVM", heap.getCommitted());
        gauge(out, scope, "memory_maxHeap_bytes", "Largest heap the JVM may use", heap.getMax());

        List<GarbageCollectorMXBean> gcs = ManagementFactory.getGarbageCollectorMXBeans();
        out.family("gc_total", "counter", "Garbage collections, per collector");
        for (GarbageCollectorMXBean gc : gcs) {
            out.sample("gc_total", with(scope, "name", gc.getName()), Math.max(0, gc.getCollectionCount()));
        }
        out.family("gc_time_seconds", "gauge", "Time spent in garbage collection, per collector");
        for (GarbageCollectorMXBean gc : gcs) {
            out.sample("gc_time_seconds", with(scope, "name", gc.getName()), Math.max(0, gc.getCollectionTime()) / 1e3);
        }

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        gauge(out, scope, "thread_count", "Live threads", threads.getThreadCount());
        gauge(out, scope, "thread_daemon_count", "Live daemon threads", threads.getDaemonThreadCount());
        gauge(out, scope, "thread_max_count", "Most live threads since start", threads.getPeakThreadCount());

        ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
        gauge(out, scope, "classloader_loadedClasses_count", "Classes loaded now", classes.getLoadedClassCount());
        counter(out, scope, "classloader_loadedClasses_total", "Classes loaded since start",
                classes.getTotalLoadedClassCount());
        counter(out, scope, "classloader_unloadedClasses_total", "Classes unloaded since start",
                classes.getUnloadedClassCount());

        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        gauge(out, scope, "cpu_availableProcessors", "Processors available to the JVM", os.getAvailableProcessors());
        gauge(out, scope, "cpu_systemLoadAverage", "System load average of the last minute", os.getSystemLoadAverage());
        if (os instanceof com.sun.management.OperatingSystemMXBean process) {
            gauge(out, scope, "cpu_processCpuLoad_percent", "Recent CPU use of this process (0 to 1)",
                    Math.max(0, process.getProcessCpuLoad()));
            gauge(out, scope, "cpu_processCpuTime_seconds", "CPU time used by this process",
                    Math.max(0, process.getProcessCpuTime()) / 1e9);
        }
        gauge(out, scope, "jvm_uptime_seconds", "Time since the JVM started",
                ManagementFactory.getRuntimeMXBean().getUptime() / 1e3);
    }

    private static void gauge(Exposition out, List<String> scope, String name, String help, double value) {
        out.family(name, "gauge", help).sample(name, scope, value);
    }

    private static void counter(Exposition out, List<String> scope, String name, String help, double value) {
        out.family(name, "counter", help).sample(name, scope, value);
    }

    private static List<String> with(List<String> scope, String label, String value) {
        List<String> all = new ArrayList<>(scope);
        all.add(label);
        all.add(value);
        return all;
    }
}
