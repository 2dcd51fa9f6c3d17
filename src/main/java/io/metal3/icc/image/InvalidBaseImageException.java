package io.metal3.icc.image;

/** The base ISO or initramfs cannot be used: unreadable, not an ISO, no embed area, ... */
public class InvalidBaseImageException extends Exception {
    public InvalidBaseImageException(String message) {
        super(message);
    }

    public InvalidBaseImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
