package io.metal3.icc.ignition;

/** The {@code ironic-agent.service} unit that runs IPA with podman (upstream's notify/conmon form). */
public final class AgentUnit {

    public static final String NAME = "ironic-agent.service";

    private AgentUnit() {
    }

    /**
     * @param authfile whether {@code /etc/authfile.json} exists (a pull secret was given)
     */
    public static String contents(IgnitionSettings s, String hostname, boolean copyNetwork, boolean authfile)
            throws IgnitionBuildException {
        String image = s.ironicAgentImage().strip();
        if (image.chars().anyMatch(c -> Character.isWhitespace(c) || c < 0x20)) {
            throw new IgnitionBuildException("IRONIC_AGENT_IMAGE '" + image + "' contains white space: give one image pull spec");
        }
        String flags = authfile ? " --authfile=/etc/authfile.json" : "";
        return "[Unit]\n"
                + "Description=Ironic Agent\n"
                + "After=network-online.target\n"
                + "Wants=network-online.target\n"
                + "[Service]\n"
                + "Environment=\"HTTP_PROXY=" + SystemdQuoting.environmentValue("HTTP_PROXY", s.httpProxy()) + "\"\n"
                + "Environment=\"HTTPS_PROXY=" + SystemdQuoting.environmentValue("HTTPS_PROXY", s.httpsProxy()) + "\"\n"
                + "Environment=\"NO_PROXY=" + SystemdQuoting.environmentValue("NO_PROXY", s.noProxy()) + "\"\n"
                + "TimeoutStartSec=0\n"
                + "Restart=on-failure\n"
                + "RestartSec=5\n"
                + "StartLimitIntervalSec=0\n"
                + "Type=notify\n"
                + "ExecStartPre=/bin/rm -f %t/%n.ctr-id\n"
                + "ExecStart=/bin/podman run --detach --cgroups=no-conmon --sdnotify=conmon --rm --cidfile=%t/%n.ctr-id"
                + " --privileged --network host"
                + " --mount type=bind,src=/etc/ironic-python-agent.conf,dst=/etc/ironic-python-agent/ignition.conf"
                + " --mount type=bind,src=/dev,dst=/dev --mount type=bind,src=/sys,dst=/sys"
                + " --mount type=bind,src=/run/dbus/system_bus_socket,dst=/run/dbus/system_bus_socket"
                + " --mount type=bind,src=/,dst=/mnt/coreos --mount type=bind,src=/run/udev,dst=/run/udev"
                + " --ipc=host --uts=host"
                + " --env \"IPA_COREOS_IP_OPTIONS=" + SystemdQuoting.execArgument("IP_OPTIONS", s.ipOptions()) + "\""
                + " --env IPA_COREOS_COPY_NETWORK=" + copyNetwork
                + " --env \"IPA_DEFAULT_HOSTNAME=" + SystemdQuoting.execArgument("hostname", hostname) + "\" "
                + flags + " --name ironic-agent " + SystemdQuoting.execArgument("IRONIC_AGENT_IMAGE", image) + "\n"
                + "ExecStop=/usr/bin/podman stop --ignore --cidfile=%t/%n.ctr-id\n"
                + "ExecStopPost=/usr/bin/podman rm -f --ignore --cidfile=%t/%n.ctr-id\n"
                + "[Install]\n"
                + "WantedBy=multi-user.target\n";
    }
}
