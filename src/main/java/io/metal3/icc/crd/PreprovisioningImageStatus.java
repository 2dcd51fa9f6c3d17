package io.metal3.icc.crd;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

/**
 * Jackson reads and writes the fields (unset ones are left out, as before); the getters never return
 * null, so callers need no defaults of their own.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE, setterVisibility = JsonAutoDetect.Visibility.NONE)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class PreprovisioningImageStatus {
    private String imageUrl;
    private String kernelUrl;
    private String extraKernelParams;
    private String format;
    private SecretStatus networkData;
    private String architecture;
    private List<Condition> conditions = new ArrayList<>();

    public PreprovisioningImageStatus copy() {
        PreprovisioningImageStatus c = new PreprovisioningImageStatus();
        c.imageUrl = imageUrl;
        c.kernelUrl = kernelUrl;
        c.extraKernelParams = extraKernelParams;
        c.format = format;
        c.networkData = networkData == null ? null : new SecretStatus(networkData.getName(), networkData.getVersion());
        c.architecture = architecture;
        for (Condition cond : getConditions()) {
            c.conditions.add(new ConditionBuilder(cond).build());
        }
        return c;
    }

    public String getImageUrl() {
        return imageUrl;
    }

    public void setImageUrl(String imageUrl) {
        this.imageUrl = imageUrl;
    }

    public String getKernelUrl() {
        return kernelUrl;
    }

    public void setKernelUrl(String kernelUrl) {
        this.kernelUrl = kernelUrl;
    }

    public String getExtraKernelParams() {
        return extraKernelParams;
    }

    public void setExtraKernelParams(String extraKernelParams) {
        this.extraKernelParams = extraKernelParams;
    }

    public String getFormat() {
        return format;
    }

    public void setFormat(String format) {
        this.format = format;
    }

    /** The Secret the image was built from; empty (no name) when none was recorded. */
    public SecretStatus getNetworkData() {
        return networkData == null ? new SecretStatus() : networkData;
    }

    public void setNetworkData(SecretStatus networkData) {
        this.networkData = networkData;
    }

    /** "" when unset (the host's architecture). */
    public String getArchitecture() {
        return architecture == null ? "" : architecture;
    }

    public void setArchitecture(String architecture) {
        this.architecture = architecture;
    }

    public List<Condition> getConditions() {
        if (conditions == null) {
            conditions = new ArrayList<>(); // "conditions": null in the object
        }
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions == null ? new ArrayList<>() : conditions;
    }
}
