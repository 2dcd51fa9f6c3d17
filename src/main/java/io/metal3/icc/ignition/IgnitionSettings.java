package io.metal3.icc.ignition;

import java.util.List;

/**
 * Inputs to the Ignition that are the same for every host, read once from the environment
 * (upstream names in brackets).
 *
 * @param ironicBaseUrl          comma list of Ironic API URLs (IRONIC_BASE_URL)
 * @param ironicInspectorBaseUrl comma list of inspector URLs, may be empty (IRONIC_INSPECTOR_BASE_URL)
 * @param ironicAgentImage       IPA container image (IRONIC_AGENT_IMAGE)
 * @param pullSecret             as configured: base64 of a docker config JSON, or that JSON (IRONIC_AGENT_PULL_SECRET)
 * @param sshKey                 authorized keys for user core (IRONIC_RAMDISK_SSH_KEY)
 * @param ipOptions              kernel ip= options for the installed OS (IP_OPTIONS)
 * @param vlanInterfaces         always / never / auto (IRONIC_AGENT_VLAN_INTERFACES)
 * @param ntpServers             raw comma list (ADDITIONAL_NTP_SERVERS)
 * @param caBundlePath           path of a PEM bundle to trust, read at every build (CA_BUNDLE)
 * @param registriesConf         content of REGISTRIES_CONF_PATH, read once at start-up
 */
public record IgnitionSettings(
        String ironicBaseUrl,
        String ironicInspectorBaseUrl,
        String ironicAgentImage,
        String pullSecret,
        String sshKey,
        String ipOptions,
        String httpProxy,
        String httpsProxy,
        String noProxy,
        String vlanInterfaces,
        String ntpServers,
        String caBundlePath,
        byte[] registriesConf) {

    public IgnitionSettings {
        ironicBaseUrl = nz(ironicBaseUrl);
        ironicInspectorBaseUrl = nz(ironicInspectorBaseUrl);
        ironicAgentImage = nz(ironicAgentImage);
        pullSecret = nz(pullSecret);
        sshKey = nz(sshKey);
        ipOptions = nz(ipOptions);
        httpProxy = nz(httpProxy);
        httpsProxy = nz(httpsProxy);
        noProxy = nz(noProxy);
        vlanInterfaces = nz(vlanInterfaces);
        ntpServers = nz(ntpServers);
        caBundlePath = nz(caBundlePath);
        registriesConf = registriesConf == null ? new byte[0] : registriesConf.clone();
    }

    /** Only the two settings every deployment has; the rest empty. */
    public static IgnitionSettings of(String ironicBaseUrl, String ironicAgentImage) {
        return new IgnitionSettings(ironicBaseUrl, "", ironicAgentImage, "", "", "", "", "", "", "", "", "", null);
    }

    @Override
    public byte[] registriesConf() {
        return registriesConf.clone();
    }

    /** NTP servers, trimmed, empty entries dropped (upstream wrote "server  iburst" for them). */
    public List<String> ntpServerList() {
        return java.util.Arrays.stream(ntpServers.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** Never prints the pull secret or the SSH key. */
    @Override
    public String toString() {
        return "IgnitionSettings[ironicBaseUrl=" + ironicBaseUrl + ", ironicInspectorBaseUrl=" + ironicInspectorBaseUrl
                + ", ironicAgentImage=" + ironicAgentImage + ", pullSecret=" + (pullSecret.isEmpty() ? "none" : "(set)")
                + ", sshKey=" + (sshKey.isEmpty() ? "none" : "(set)") + ", ipOptions=" + ipOptions
                + ", httpProxy=" + (httpProxy.isEmpty() ? "none" : "(set)") + ", httpsProxy="
                + (httpsProxy.isEmpty() ? "none" : "(set)") + ", noProxy=" + noProxy
                + ", vlanInterfaces=" + vlanInterfaces + ", ntpServers=" + ntpServers + ", caBundle=" + caBundlePath
                + ", registriesConf=" + registriesConf.length + " bytes]";
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
