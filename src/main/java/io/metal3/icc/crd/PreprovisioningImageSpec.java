package io.metal3.icc.crd;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Jackson reads and writes the fields (unset ones are left out, as before); the getters never return
 * null, so callers need no defaults of their own.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE, setterVisibility = JsonAutoDetect.Visibility.NONE)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class PreprovisioningImageSpec {
    private String networkDataName;
    private String architecture;
    private List<String> acceptFormats = new ArrayList<>();

    public String getNetworkDataName() {
        return networkDataName;
    }

    public void setNetworkDataName(String networkDataName) {
        this.networkDataName = networkDataName;
    }

    /** "" when unset (the host's architecture). */
    public String getArchitecture() {
        return architecture == null ? "" : architecture;
    }

    public void setArchitecture(String architecture) {
        this.architecture = architecture;
    }

    public List<String> getAcceptFormats() {
        if (acceptFormats == null) {
            acceptFormats = new ArrayList<>(); // "acceptFormats": null in the object
        }
        return acceptFormats;
    }

    public void setAcceptFormats(List<String> acceptFormats) {
        this.acceptFormats = acceptFormats == null ? new ArrayList<>() : acceptFormats;
    }
}
