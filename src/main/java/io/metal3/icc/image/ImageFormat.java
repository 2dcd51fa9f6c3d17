package io.metal3.icc.image;

/** Formats served; {@code apiName} is the PreprovisioningImage {@code acceptFormats} value. */
public enum ImageFormat {
    ISO("iso", ".iso"),
    INITRD("initrd", ".initramfs");

    private final String apiName;
    private final String suffix;

    ImageFormat(String apiName, String suffix) {
        this.apiName = apiName;
        this.suffix = suffix;
    }

    public String apiName() {
        return apiName;
    }

    /** File-name suffix used by static mode ({@code worker-0.iso}, {@code worker-0.initramfs}). */
    public String suffix() {
        return suffix;
    }
}
