package io.metal3.icc.controller;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

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
        for (Condition cond : conditions) {
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

    public SecretStatus getNetworkData() {
        return networkData;
    }

    public void setNetworkData(SecretStatus networkData) {
        this.networkData = networkData;
    }

    public String getArchitecture() {
        return architecture;
    }

    public void setArchitecture(String architecture) {
        this.architecture = architecture;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions == null ? new ArrayList<>() : conditions;
    }
}
