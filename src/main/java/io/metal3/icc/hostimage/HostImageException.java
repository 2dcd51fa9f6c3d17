package io.metal3.icc.hostimage;

import java.io.IOException;

/** Why a host's image could not be built or registered, and at which stage. */
public final class HostImageException extends Exception {

    /** The step that failed. */
    public enum Stage {
        /** NMState → keyfiles: invalid data, or nmstatectl could not run */
        NETWORK,
        /** keyfiles and settings → Ignition */
        IGNITION,
        /** the base ISO or initramfs is missing or unreadable */
        BASE_IMAGE,
        /** the Ignition does not fit the ISO's embed area */
        EMBED_AREA
    }

    private final Stage stage;

    HostImageException(Stage stage, String message, Throwable cause) {
        super(message, cause);
        this.stage = stage;
    }

    public Stage stage() {
        return stage;
    }

    /** An I/O failure (a file or nmstatectl) that may pass without any input changing. */
    public boolean retryable() {
        return getCause() instanceof IOException;
    }
}
