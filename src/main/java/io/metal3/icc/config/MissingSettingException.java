package io.metal3.icc.config;

/** A required setting is absent or invalid; the message names the variable and how to fix it. */
public class MissingSettingException extends RuntimeException {
    private final String name;

    public MissingSettingException(String name, String message) {
        super(message);
        this.name = name;
    }

    public String settingName() {
        return name;
    }
}
