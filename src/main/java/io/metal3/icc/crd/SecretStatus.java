package io.metal3.icc.crd;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code status.networkData}: the Secret and its resourceVersion an image was built from. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class SecretStatus {
    private String name;
    private String version;

    public SecretStatus() {
    }

    public SecretStatus(String name, String version) {
        this.name = name;
        this.version = version;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getVersion() {
        return version;
    }

    public void setVersion(String version) {
        this.version = version;
    }

    static String nz(String s) {
        return s == null ? "" : s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretStatus s && nz(name).equals(nz(s.name)) && nz(version).equals(nz(s.version));
    }

    @Override
    public int hashCode() {
        return Objects.hash(nz(name), nz(version));
    }

    @Override
    public String toString() {
        return "{name=" + name + ", version=" + version + "}";
    }
}
