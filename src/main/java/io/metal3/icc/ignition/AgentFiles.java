package io.metal3.icc.ignition;

import java.util.List;
import java.util.Locale;

/** The contents of the files the Ignition writes, as upstream's pkg/ignition writes them. */
public final class AgentFiles {

    static final String RULE = "=".repeat(80);

    private AgentFiles() {
    }

    /** {@code /etc/ironic-python-agent.conf}, bind-mounted into the agent container. */
    public static String ironicPythonAgentConf(String ironicUrls, String inspectorUrls, String vlanValue) {
        return "\n[DEFAULT]\napi_url = " + ironicUrls + "\ninspection_callback_url = " + inspectorUrls
                + "\ninsecure = True\nenable_vlan_interfaces = " + vlanValue + "\n";
    }

    /**
     * {@code IRONIC_AGENT_VLAN_INTERFACES}: always → all, never → none, anything else → none when the
     * host has NMState data (its VLANs are configured already), else all.
     */
    public static String vlanValue(String setting, boolean nmstateGiven) {
        return switch (setting.strip().toLowerCase(Locale.ROOT)) {
            case "always" -> "all";
            case "never" -> "";
            default -> nmstateGiven ? "" : "all";
        };
    }

    public static final String CLIENT_ID_CONF = "[connection]\nipv6.dhcp-duid=ll\nipv6.dhcp-iaid=mac";

    /** Appended to {@code /etc/chrony.conf}. */
    public static String chronyAppend(List<String> servers) {
        StringBuilder sb = new StringBuilder();
        for (String s : servers) {
            sb.append("\nserver ").append(s).append(" iburst");
        }
        return sb.append('\n').toString();
    }

    /** NetworkManager dispatcher script: DHCPv6 FQDN if any, else the host name (byte-exact upstream). */
    public static String hostnameDispatcher(String hostname) {
        return "\n\t    [[ \"$DHCP6_FQDN_FQDN\" =~ \".\" ]] && hostnamectl set-hostname --static --transient $DHCP6_FQDN_FQDN "
                + "\n\t    [[ \"$(< /proc/sys/kernel/hostname)\" =~ (localhost|localhost.localdomain) ]] && hostnamectl set-hostname --transient "
                + hostname;
    }

    public static final String ISSUE = "\n" + RULE + "\n"
            + " This is the Ironic Python Agent (IPA) discovery image\n\n"
            + " This image is used for bare metal host discovery and inspection.\n"
            + " It is NOT a cluster node.\n"
            + RULE + "\n";

    public static String motd(String ironicBaseUrl, String agentImage, String inspectorUrl, String hostname,
                              boolean nmstateGiven) {
        StringBuilder sb = new StringBuilder("\n").append(RULE).append('\n')
                .append(" Welcome to the Ironic Python Agent (IPA) discovery image\n\n")
                .append(" This image is used for bare metal host discovery and inspection.\n")
                .append(" It is NOT a cluster node.\n\n")
                .append(" This system will automatically run hardware inspection and report back to\n")
                .append(" the Ironic service. Do not attempt to use this as a regular system.\n\n")
                .append(" Configuration:\n")
                .append("   Ironic API:       ").append(ironicBaseUrl).append('\n')
                .append("   IPA Image:        ").append(agentImage).append('\n');
        if (!inspectorUrl.isEmpty()) {
            sb.append("   Inspector API:    ").append(inspectorUrl).append('\n');
        }
        if (!hostname.isEmpty()) {
            sb.append("   Hostname:         ").append(hostname).append('\n');
        }
        if (nmstateGiven) {
            sb.append("   Network Config:   Custom NMState configuration applied\n");
        }
        return sb.append("\n Useful commands:\n")
                .append("   journalctl -u ironic-agent.service    View IPA service logs\n")
                .append("   systemctl status ironic-agent.service Check IPA service status\n")
                .append("   ip addr                                Show network interfaces\n")
                .append("   nmcli connection show                  Show network connections\n")
                .append(RULE).append('\n')
                .toString();
    }
}
