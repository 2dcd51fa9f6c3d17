package io.metal3.icc.serving;

/** What image serving counts (the application's metrics). */
public interface RequestMetrics {

    void imageRequest(int status);

    void streamStarted();

    void streamEnded(long bytes);
}
