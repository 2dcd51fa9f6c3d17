package io.metal3.icc.serving;

/** What image serving counts (the application's metrics). */
public interface RequestMetrics {

    void imageRequest(int status);

    void streamStarted();

    void streamEnded(long bytes);

    /** A response refused (503) because MAX_CONCURRENT_REQUESTS responses were being written. */
    void throttled();
}
