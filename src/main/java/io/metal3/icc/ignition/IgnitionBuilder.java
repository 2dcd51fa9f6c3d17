package io.metal3.icc.ignition;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonWriter;

import io.metal3.icc.nmstate.NetworkKeyfile;

/**
 * Builds the Ignition 3.2.0 config that boots the Ironic Python Agent, with upstream's files, order
 * and semantics (openshift/image-customization-controller, pkg/ignition) and its defects fixed (see
 * README, "The Ignition"). Pure: no Liberty or Kubernetes types.
 */
public final class IgnitionBuilder {

    public static final String VERSION = "3.2.0";
    static final String NM_CONNECTIONS = "/etc/NetworkManager/system-connections/";
    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,251}[A-Za-z0-9])?");

    private IgnitionBuilder() {
    }

    /**
     * @throws IgnitionBuildException the inputs cannot give a bootable config (fix the configuration)
     * @throws IOException            the CA bundle file could not be read (may be transient)
     */
    public static byte[] build(IgnitionSettings s, HostConfig host) throws IgnitionBuildException, IOException {
        if (s.ironicBaseUrl().isBlank()) {
            throw new IgnitionBuildException("IRONIC_BASE_URL is not set: the agent needs the Ironic API URL (ironicBaseURL is required)");
        }
        if (s.ironicAgentImage().isBlank()) {
            throw new IgnitionBuildException("IRONIC_AGENT_IMAGE is not set: the agent container image is required");
        }
        String hostname = host.hostname();
        if (!hostname.isEmpty() && !HOSTNAME.matcher(hostname).matches()) {
            throw new IgnitionBuildException("host name '" + hostname
                    + "' is not a valid host name (letters, digits, '-', '.', '_'; name the host or file accordingly)");
        }

        List<IgnitionFile> files = new ArrayList<>();
        String ironicUrls = IronicUrls.process("IRONIC_BASE_URL", s.ironicBaseUrl(), "", IronicUrls.IRONIC_PORT);
        String inspectorUrls = IronicUrls.process("IRONIC_INSPECTOR_BASE_URL", s.ironicInspectorBaseUrl(),
                IronicUrls.INSPECTOR_PATH, IronicUrls.INSPECTOR_PORT);
        files.add(IgnitionFile.contents("/etc/ironic-python-agent.conf", 0644, false, DataUrls.text(
                AgentFiles.ironicPythonAgentConf(ironicUrls, inspectorUrls,
                        AgentFiles.vlanValue(s.vlanInterfaces(), host.nmstateGiven())))));
        for (NetworkKeyfile k : host.keyfiles()) {
            // overwrite: replaces NetworkManager's generated default connection
            files.add(IgnitionFile.contents(NM_CONNECTIONS + k.fileName(), 0600, true, DataUrls.text(k.content())));
        }
        String pullSecret = PullSecrets.toBase64(s.pullSecret());
        if (!pullSecret.isEmpty()) {
            // 0600, not upstream's default 0644: the file holds registry credentials.
            files.add(IgnitionFile.contents("/etc/authfile.json", 0600, false, DataUrls.base64(pullSecret)));
        }
        if (!s.caBundlePath().isBlank()) {
            files.add(IgnitionFile.contents("/etc/pki/ca-trust/source/anchors/ca.crt", 0644, false,
                    DataUrls.text(readCaBundle(Path.of(s.caBundlePath())))));
        }
        files.add(IgnitionFile.contents("/etc/NetworkManager/conf.d/clientid.conf", 0644, false,
                DataUrls.text(AgentFiles.CLIENT_ID_CONF)));
        List<String> ntp = s.ntpServerList();
        if (!ntp.isEmpty()) {
            for (String server : ntp) {
                if (server.chars().anyMatch(c -> Character.isWhitespace(c) || c < 0x20)) {
                    throw new IgnitionBuildException("ADDITIONAL_NTP_SERVERS entry '" + server + "' contains white space");
                }
            }
            files.add(IgnitionFile.append("/etc/chrony.conf", 0644, DataUrls.text(AgentFiles.chronyAppend(ntp))));
        }
        if (!hostname.isEmpty()) {
            files.add(IgnitionFile.contents("/etc/NetworkManager/dispatcher.d/01-hostname", 0744, false,
                    DataUrls.text(AgentFiles.hostnameDispatcher(hostname))));
        }
        byte[] registries = s.registriesConf();
        if (registries.length > 0) {
            files.add(IgnitionFile.contents("/etc/containers/registries.conf", 0644, true, DataUrls.text(registries)));
        }
        files.add(IgnitionFile.contents("/etc/issue.d/ipa.issue", 0644, false, DataUrls.text(AgentFiles.ISSUE)));
        files.add(IgnitionFile.contents("/etc/motd.d/ipa.motd", 0644, false, DataUrls.text(AgentFiles.motd(
                s.ironicBaseUrl(), s.ironicAgentImage(), s.ironicInspectorBaseUrl(), hostname, host.nmstateGiven()))));

        String unit = AgentUnit.contents(s, hostname, !host.keyfiles().isEmpty(), !pullSecret.isEmpty());
        IgnitionValidator.check(files, List.of(AgentUnit.NAME));
        return toJson(files, sshKeys(s.sshKey()), unit);
    }

    /** One entry per key line; upstream put the whole value, newlines and all, in one entry. */
    static List<String> sshKeys(String value) {
        return value.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private static byte[] readCaBundle(Path path) throws IOException {
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path.toString(), null, "CA_BUNDLE file does not exist");
        }
    }

    private static byte[] toJson(List<IgnitionFile> files, List<String> sshKeys, String unit) {
        JsonArrayBuilder fileArray = Json.createArrayBuilder();
        for (IgnitionFile f : files) {
            JsonObjectBuilder o = Json.createObjectBuilder().add("path", f.path());
            if (f.mode() != null) {
                o.add("mode", f.mode());
            }
            if (f.overwrite() != null) {
                o.add("overwrite", f.overwrite());
            }
            JsonObjectBuilder resource = Json.createObjectBuilder().add("source", f.source());
            if (f.append()) {
                o.add("append", Json.createArrayBuilder().add(resource));
            } else {
                o.add("contents", resource);
            }
            fileArray.add(o);
        }
        JsonObjectBuilder config = Json.createObjectBuilder()
                .add("ignition", Json.createObjectBuilder().add("version", VERSION));
        if (!sshKeys.isEmpty()) {
            config.add("passwd", Json.createObjectBuilder().add("users", Json.createArrayBuilder()
                    .add(Json.createObjectBuilder().add("name", "core")
                            .add("sshAuthorizedKeys", Json.createArrayBuilder(sshKeys)))));
        }
        config.add("storage", Json.createObjectBuilder().add("files", fileArray));
        config.add("systemd", Json.createObjectBuilder().add("units", Json.createArrayBuilder()
                .add(Json.createObjectBuilder()
                        .add("name", AgentUnit.NAME)
                        .add("enabled", true)
                        .add("contents", unit))));
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try (JsonWriter w = Json.createWriter(out)) {
            w.writeObject(config.build());
        }
        return out.toByteArray();
    }
}
