package io.metal3.icc.ignition;

/** Inputs to the Ignition that are the same for every host (read once from the environment). */
public record IgnitionSettings(String ironicBaseUrl, String ironicAgentImage, String pullSecret) {

    /** Never print the pull secret. */
    @Override
    public String toString() {
        return "IgnitionSettings[ironicBaseUrl=" + ironicBaseUrl + ", ironicAgentImage=" + ironicAgentImage
                + ", pullSecret=" + (pullSecret.isEmpty() ? "none" : "(set)") + "]";
    }
}
