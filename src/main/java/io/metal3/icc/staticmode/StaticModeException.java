package io.metal3.icc.staticmode;

/** Static mode cannot start; the message says which file or setting is at fault. */
public class StaticModeException extends Exception {
    public StaticModeException(String message, Throwable cause) {
        super(message, cause);
    }
}
