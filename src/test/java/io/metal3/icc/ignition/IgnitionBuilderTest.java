package io.metal3.icc.ignition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metal3.icc.nmstate.NetworkKeyfile;

/** Upstream's pkg/ignition tests (spec §9.1) with the same inputs, plus the defects we fix (§11). */
class IgnitionBuilderTest {

    static final String PULL_SECRET = "eyJhdXRocyI6e319"; // base64 of {"auths":{}}

    static IgnitionSettings settings(String base, String inspector, String image, String pullSecret, String ssh,
                                     String ip, String httpProxy, String noProxy, String vlan, String ntp,
                                     String ca, String registries) {
        return new IgnitionSettings(base, inspector, image, pullSecret, ssh, ip, httpProxy, "", noProxy, vlan, ntp,
                ca, registries == null ? null : registries.getBytes(StandardCharsets.UTF_8));
    }

    static Ign build(IgnitionSettings s, HostConfig h) throws Exception {
        return Ign.parse(IgnitionBuilder.build(s, h));
    }

    @Test
    void generateStructure() throws Exception {
        Ign ign = build(IgnitionSettings.of("http://ironic.example.com", "quay.io/openshift-release-dev/ironic-ipa-image"),
                HostConfig.withoutNetwork(""));
        assertEquals("3.2.0", ign.version());
        assertEquals(1, ign.units().size());
        assertEquals(4, ign.files().size());
        assertEquals(0, ign.users().size());
        assertTrue(ign.unitText().contains("ironic-agent"));
        String conf = Ign.source(ign.files().get(0));
        assertTrue(conf.contains("ironic.example.com%3A6385"), conf);
        assertFalse(conf.contains("ironic.example.com%3A5050"), conf);
        assertEquals(List.of("/etc/ironic-python-agent.conf", "/etc/NetworkManager/conf.d/clientid.conf",
                "/etc/issue.d/ipa.issue", "/etc/motd.d/ipa.motd"), ign.paths());
    }

    @Test
    void generateWithMoreFields(@TempDir Path dir) throws Exception {
        Path ca = Files.createFile(dir.resolve("ca.crt"));
        IgnitionSettings s = settings("http://ironic.example.com", "http://inspector.example.com",
                "quay.io/openshift-release-dev/ironic-ipa-image", PULL_SECRET, "SSH key", "ip=dhcp42", "proxy me",
                "don't proxy me", "", "", ca.toString(), "I am registry");
        Ign ign = build(s, HostConfig.withoutNetwork("my-host"));
        assertEquals(List.of("/etc/ironic-python-agent.conf", "/etc/authfile.json",
                "/etc/pki/ca-trust/source/anchors/ca.crt", "/etc/NetworkManager/conf.d/clientid.conf",
                "/etc/NetworkManager/dispatcher.d/01-hostname", "/etc/containers/registries.conf",
                "/etc/issue.d/ipa.issue", "/etc/motd.d/ipa.motd"), ign.paths());
        assertEquals(1, ign.users().size());
        assertEquals("core", ign.users().get(0).getString("name"));
        assertEquals(List.of("SSH key"), ign.users().get(0).getJsonArray("sshAuthorizedKeys").getValuesAs(
                jakarta.json.JsonString.class).stream().map(jakarta.json.JsonString::getString).toList());
        String conf = Ign.source(ign.files().get(0));
        assertTrue(conf.contains("%3A6385"), conf);
        assertTrue(conf.contains("inspector.example.com%3A5050"), conf);
    }

    @Test
    void generateRegistries() throws Exception {
        String registries = "\n[[registry]]\n  location = \"quay.io\"\n";
        IgnitionSettings s = settings("http://ironic.example.com", "", "quay.io/x", "", "", "", "", "", "", "", "", registries);
        String json = new String(IgnitionBuilder.build(s, new HostConfig("", false, List.of())), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"data:text/plain,%0A%5B%5Bregistry%5D%5D%0A%20%20location%20%3D%20%22quay.io%22%0A\""), json);
        JsonObject f = Ign.parse(json.getBytes(StandardCharsets.UTF_8)).file("/etc/containers/registries.conf");
        assertEquals(0644, Ign.mode(f));
        assertEquals(Boolean.TRUE, Ign.overwrite(f));
    }

    @Test
    void generateIpaIdentificationFiles() throws Exception {
        Ign ign = build(IgnitionSettings.of("http://ironic.example.com", "quay.io/openshift-release-dev/ironic-ipa-image"),
                HostConfig.withoutNetwork(""));
        String issue = Ign.source(ign.file("/etc/issue.d/ipa.issue"));
        String motd = Ign.source(ign.file("/etc/motd.d/ipa.motd"));
        for (String s : List.of(issue, motd)) {
            assertTrue(s.contains("Ironic%20Python%20Agent"), s);
            assertTrue(s.contains("discovery%20image"), s);
        }
        assertTrue(motd.contains("ironic.example.com"));
        assertTrue(motd.contains("quay.io"));
        assertTrue(motd.contains("journalctl"));
    }

    @Test
    void generateIpaIdentificationWithDebuggingInfo() throws Exception {
        IgnitionSettings s = settings("http://ironic.example.com", "http://inspector.example.com",
                "quay.io/openshift-release-dev/ironic-ipa-image", "", "", "", "", "", "", "", "", null);
        String motd = Ign.source(build(s, HostConfig.withoutNetwork("my-hostname")).file("/etc/motd.d/ipa.motd"));
        assertTrue(motd.contains("ironic.example.com"));
        assertTrue(motd.contains("inspector.example.com"));
        assertTrue(motd.contains("my-hostname"));
        assertTrue(motd.contains("quay.io%2Fopenshift-release-dev%2Fironic-ipa-image"));
        assertTrue(motd.contains("Useful%20commands"));
        assertTrue(motd.contains("journalctl"));
        assertFalse(motd.contains("Custom%20NMState"));
        String withNetwork = Ign.source(build(s, new HostConfig("h", true, List.of())).file("/etc/motd.d/ipa.motd"));
        assertTrue(withNetwork.contains("Custom%20NMState"));
    }

    /** Upstream TestNMStateOutputToFiles: keyfiles become 0600 overwrite files with exact data URLs. */
    @Test
    void keyfilesToFiles() throws Exception {
        List<NetworkKeyfile> keyfiles = List.of(
                new NetworkKeyfile("eth1.nmconnection", "[connection]\nid=eth1\ntype=ethernet\n"),
                new NetworkKeyfile("linux-br0.nmconnection", "[connection]\nid=linux-br0\ntype=bridge\n"));
        Ign ign = build(IgnitionSettings.of("http://i", "quay.io/x"), new HostConfig("", true, keyfiles));
        JsonObject eth1 = ign.files().get(1);
        assertEquals("/etc/NetworkManager/system-connections/eth1.nmconnection", eth1.getString("path"));
        assertEquals("data:text/plain,%5Bconnection%5D%0Aid%3Deth1%0Atype%3Dethernet%0A", Ign.source(eth1));
        assertEquals(0600, Ign.mode(eth1));
        assertEquals(Boolean.TRUE, Ign.overwrite(eth1));
        JsonObject br = ign.files().get(2);
        assertEquals("/etc/NetworkManager/system-connections/linux-br0.nmconnection", br.getString("path"));
        assertEquals("data:text/plain,%5Bconnection%5D%0Aid%3Dlinux-br0%0Atype%3Dbridge%0A", Ign.source(br));
        assertTrue(ign.unitText().contains("--env IPA_COREOS_COPY_NETWORK=true"));
    }

    /** Upstream TestIronicPythonAgentConf: exact data URLs, mode 0644, overwrite false. */
    @Test
    void ironicPythonAgentConf() throws Exception {
        IgnitionSettings basic = settings("http://example.com/foo", "http://example.com/bar", "quay.io/x", "", "", "",
                "", "", "always", "", "", null);
        JsonObject f = build(basic, HostConfig.withoutNetwork("")).files().get(0);
        assertEquals("data:text/plain,%0A%5BDEFAULT%5D%0Aapi_url%20%3D%20http%3A%2F%2Fexample.com%3A6385%2Ffoo%0A"
                + "inspection_callback_url%20%3D%20http%3A%2F%2Fexample.com%3A5050%2Fbar%2Fv1%2Fcontinue%0A"
                + "insecure%20%3D%20True%0Aenable_vlan_interfaces%20%3D%20all%0A", Ign.source(f));
        assertEquals(0644, Ign.mode(f));
        assertEquals(Boolean.FALSE, Ign.overwrite(f));

        IgnitionSettings noVlans = settings("http://example.com/foo", "http://example.com/bar", "quay.io/x", "", "", "",
                "", "", "never", "", "", null);
        assertEquals("\n[DEFAULT]\napi_url = http://example.com:6385/foo\n"
                        + "inspection_callback_url = http://example.com:5050/bar/v1/continue\n"
                        + "insecure = True\nenable_vlan_interfaces = \n",
                build(noVlans, HostConfig.withoutNetwork("")).text("/etc/ironic-python-agent.conf"));

        IgnitionSettings newStyle = IgnitionSettings.of("http://192.0.2.1,https://[2001:db8::1]", "quay.io/x");
        assertEquals("\n[DEFAULT]\napi_url = http://192.0.2.1:6385,https://[2001:db8::1]:6385\n"
                        + "inspection_callback_url = \ninsecure = True\nenable_vlan_interfaces = all\n",
                build(newStyle, HostConfig.withoutNetwork("")).text("/etc/ironic-python-agent.conf"));
    }

    @Test
    void vlanMatrix() {
        assertEquals("all", AgentFiles.vlanValue("always", true));
        assertEquals("all", AgentFiles.vlanValue("ALWAYS", false));
        assertEquals("", AgentFiles.vlanValue("never", false));
        assertEquals("", AgentFiles.vlanValue("Never", true));
        assertEquals("all", AgentFiles.vlanValue("", false));
        assertEquals("", AgentFiles.vlanValue("", true));
        assertEquals("all", AgentFiles.vlanValue("auto", false));
        assertEquals("", AgentFiles.vlanValue("garbage", true));
    }

    static String unit(String authLine, boolean copy) {
        return "[Unit]\nDescription=Ironic Agent\nAfter=network-online.target\nWants=network-online.target\n[Service]\n"
                + "Environment=\"HTTP_PROXY=\"\nEnvironment=\"HTTPS_PROXY=\"\nEnvironment=\"NO_PROXY=\"\n"
                + "TimeoutStartSec=0\nRestart=on-failure\nRestartSec=5\nStartLimitIntervalSec=0\nType=notify\n"
                + "ExecStartPre=/bin/rm -f %t/%n.ctr-id\n"
                + "ExecStart=/bin/podman run --detach --cgroups=no-conmon --sdnotify=conmon --rm --cidfile=%t/%n.ctr-id "
                + "--privileged --network host --mount type=bind,src=/etc/ironic-python-agent.conf,dst=/etc/ironic-python-agent/ignition.conf "
                + "--mount type=bind,src=/dev,dst=/dev --mount type=bind,src=/sys,dst=/sys "
                + "--mount type=bind,src=/run/dbus/system_bus_socket,dst=/run/dbus/system_bus_socket "
                + "--mount type=bind,src=/,dst=/mnt/coreos --mount type=bind,src=/run/udev,dst=/run/udev --ipc=host --uts=host "
                + "--env \"IPA_COREOS_IP_OPTIONS=ip=dhcp6\" --env IPA_COREOS_COPY_NETWORK=" + copy
                + " --env \"IPA_DEFAULT_HOSTNAME=my-host\" " + authLine + " --name ironic-agent http://example.com/foo:latest\n"
                + "ExecStop=/usr/bin/podman stop --ignore --cidfile=%t/%n.ctr-id\n"
                + "ExecStopPost=/usr/bin/podman rm -f --ignore --cidfile=%t/%n.ctr-id\n"
                + "[Install]\nWantedBy=multi-user.target\n";
    }

    /** Upstream TestIronicAgentService: basic, no pull secret, copy network (exact unit text). */
    @Test
    void ironicAgentService() throws Exception {
        IgnitionSettings withSecret = settings("http://i", "", "http://example.com/foo:latest", PULL_SECRET, "",
                "ip=dhcp6", "", "", "", "", "", null);
        assertEquals(unit(" --authfile=/etc/authfile.json", false), AgentUnit.contents(withSecret, "my-host", false, true));
        IgnitionSettings noSecret = settings("http://i", "", "http://example.com/foo:latest", "", "", "ip=dhcp6", "", "",
                "", "", "", null);
        assertEquals(unit("", false), AgentUnit.contents(noSecret, "my-host", false, false));
        assertEquals(unit("", true), AgentUnit.contents(noSecret, "my-host", true, false));
        Ign ign = build(withSecret, HostConfig.withoutNetwork("my-host"));
        assertEquals("ironic-agent.service", ign.units().get(0).getString("name"));
        assertTrue(ign.units().get(0).getBoolean("enabled"));
        assertEquals(unit(" --authfile=/etc/authfile.json", false), ign.unitText());
    }

    @Test
    void requiredInputs() {
        var e = assertThrows(IgnitionBuildException.class,
                () -> IgnitionBuilder.build(IgnitionSettings.of("", "quay.io/x"), HostConfig.withoutNetwork("")));
        assertTrue(e.getMessage().contains("IRONIC_BASE_URL"), e.getMessage());
        e = assertThrows(IgnitionBuildException.class,
                () -> IgnitionBuilder.build(IgnitionSettings.of("http://i", " "), HostConfig.withoutNetwork("")));
        assertTrue(e.getMessage().contains("IRONIC_AGENT_IMAGE"), e.getMessage());
    }

    // ---- defects fixed (spec §11) ----

    @Test
    void percentQuotesAndDollarsAreEscapedInTheUnit() throws Exception {
        IgnitionSettings s = settings("http://i", "", "quay.io/x", "", "", "ip=\"a\" $b %c", "http://u:p%40ss$x@proxy:3128",
                "a\\b", "", "", "", null);
        String unit = build(s, HostConfig.withoutNetwork("h")).unitText();
        assertTrue(unit.contains("Environment=\"HTTP_PROXY=http://u:p%%40ss$x@proxy:3128\"\n"), unit);
        assertTrue(unit.contains("Environment=\"NO_PROXY=a\\\\b\"\n"), unit);
        assertTrue(unit.contains("--env \"IPA_COREOS_IP_OPTIONS=ip=\\\"a\\\" $$b %%c\""), unit);
    }

    @Test
    void newlinesInUnitValuesAreRejected() {
        IgnitionSettings s = settings("http://i", "", "quay.io/x", "", "", "ip=dhcp\nExecStartPre=/bin/evil", "", "", "",
                "", "", null);
        var e = assertThrows(IgnitionBuildException.class, () -> build(s, HostConfig.withoutNetwork("")));
        assertTrue(e.getMessage().startsWith("IP_OPTIONS contains a control character"), e.getMessage());
    }

    @Test
    void ntpEntriesTrimmedAndEmptyOnesDropped() throws Exception {
        IgnitionSettings s = settings("http://i", "", "quay.io/x", "", "", "", "", "", "", " ntp1.example.com ,, 192.0.2.123,",
                "", null);
        Ign ign = build(s, HostConfig.withoutNetwork(""));
        JsonObject chrony = ign.file("/etc/chrony.conf");
        assertTrue(chrony.containsKey("append"));
        assertFalse(chrony.containsKey("contents"));
        assertFalse(chrony.containsKey("overwrite"));
        assertEquals(0644, Ign.mode(chrony));
        assertEquals("\nserver ntp1.example.com iburst\nserver 192.0.2.123 iburst\n", ign.text("/etc/chrony.conf"));
        assertFalse(build(settings("http://i", "", "quay.io/x", "", "", "", "", "", "", " , ", "", null),
                HostConfig.withoutNetwork("")).paths().contains("/etc/chrony.conf"));
    }

    @Test
    void pullSecretForms() throws Exception {
        IgnitionSettings raw = settings("http://i", "", "quay.io/x", "{\"auths\":{}}", "", "", "", "", "", "", "", null);
        JsonObject f = build(raw, HostConfig.withoutNetwork("")).file("/etc/authfile.json");
        assertEquals("data:;base64," + PULL_SECRET, Ign.source(f), "raw JSON is encoded");
        assertEquals(0600, Ign.mode(f), "registry credentials are not world-readable");
        assertEquals("data:;base64," + PULL_SECRET, Ign.source(build(settings("http://i", "", "quay.io/x",
                " " + PULL_SECRET + "\n", "", "", "", "", "", "", "", null), HostConfig.withoutNetwork("")).file("/etc/authfile.json")));
        for (String bad : List.of("s3cr3t value!", "bm90IGpzb24=", "{not json")) {
            IgnitionSettings s = settings("http://i", "", "quay.io/x", bad, "", "", "", "", "", "", "", null);
            var e = assertThrows(IgnitionBuildException.class, () -> build(s, HostConfig.withoutNetwork("")), bad);
            assertTrue(e.getMessage().startsWith("the pull secret"), e.getMessage());
            assertFalse(e.getMessage().contains(bad), "the message never repeats the secret");
        }
    }

    @Test
    void sshKeysOnePerLine() throws Exception {
        assertEquals(List.of("ssh-ed25519 AAAA a@b", "ssh-rsa BBBB c@d"),
                IgnitionBuilder.sshKeys("ssh-ed25519 AAAA a@b\n\n# comment\n  ssh-rsa BBBB c@d  \n"));
    }

    @Test
    void missingCaBundleIsAnIoError(@TempDir Path dir) {
        IgnitionSettings s = settings("http://i", "", "quay.io/x", "", "", "", "", "", "", "", dir.resolve("nope.crt").toString(), null);
        var e = assertThrows(NoSuchFileException.class, () -> build(s, HostConfig.withoutNetwork("")));
        assertTrue(e.getMessage().contains("CA_BUNDLE"), e.getMessage());
    }

    @Test
    void badHostname() {
        for (String h : List.of("a b", "x;rm -rf /", "-lead", "$(id)")) {
            assertThrows(IgnitionBuildException.class, () -> build(IgnitionSettings.of("http://i", "quay.io/x"),
                    HostConfig.withoutNetwork(h)), h);
        }
    }

    @Test
    void imageWithWhitespaceIsRejected() {
        assertThrows(IgnitionBuildException.class,
                () -> build(IgnitionSettings.of("http://i", "quay.io/x --privileged"), HostConfig.withoutNetwork("")));
    }

    @Test
    void selfCheckCatchesDuplicatesAndRelativePaths() {
        String src = DataUrls.text("x");
        assertThrows(IgnitionBuildException.class, () -> IgnitionValidator.check(List.of(
                IgnitionFile.contents("/etc/a", 0644, false, src), IgnitionFile.contents("/etc/a", 0644, false, src)), List.of()));
        assertThrows(IgnitionBuildException.class, () -> IgnitionValidator.check(List.of(
                IgnitionFile.contents("etc/a", 0644, false, src)), List.of()));
        assertThrows(IgnitionBuildException.class, () -> IgnitionValidator.check(List.of(
                IgnitionFile.contents("/etc/../a", 0644, false, src)), List.of()));
        assertThrows(IgnitionBuildException.class, () -> IgnitionValidator.check(List.of(
                IgnitionFile.contents("/etc/a", 0644, false, "data:text/plain,%4")), List.of()));
        assertThrows(IgnitionBuildException.class, () -> IgnitionValidator.check(List.of(), List.of("bad name")));
    }

    @Test
    void dataUrlEscaping() {
        assertEquals("data:text/plain,aZ09-_.!~*'()%20%25%0A%C3%A9", DataUrls.text("aZ09-_.!~*'() %\né"));
        assertEquals("aZ09-_.!~*'() %\né", new String(DataUrls.decode(DataUrls.text("aZ09-_.!~*'() %\né")), StandardCharsets.UTF_8));
    }

}
