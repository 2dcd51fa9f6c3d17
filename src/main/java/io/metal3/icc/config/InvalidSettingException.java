package io.metal3.icc.config;

/** A setting is missing or unusable; the message names the variable and how to fix it. */
public class InvalidSettingException extends RuntimeException {
    private final String name;

    public InvalidSettingException(String name, String message) {
        super(message);
        this.name = name;
    }

    public String settingName() {
        return name;
    }
}
