package io.metal3.icc.controller;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

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

    public String getArchitecture() {
        return architecture;
    }

    public void setArchitecture(String architecture) {
        this.architecture = architecture;
    }

    public List<String> getAcceptFormats() {
        return acceptFormats;
    }

    public void setAcceptFormats(List<String> acceptFormats) {
        this.acceptFormats = acceptFormats == null ? new ArrayList<>() : acceptFormats;
    }
}
