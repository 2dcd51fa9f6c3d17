package io.metal3.icc.ignition;

/**
 * The inputs cannot make a valid Ignition (upstream's "build invalid"): nothing will change until
 * the configuration does. The message says what to fix.
 */
public class IgnitionBuildException extends Exception {
    public IgnitionBuildException(String message) {
        super(message);
    }
}
