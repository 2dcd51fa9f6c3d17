package io.metal3.icc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    final Map<String, String> env = new HashMap<>(Map.of(
            "DEPLOY_ISO", "/images/ipa.iso",
            "DEPLOY_INITRD", "/images/ipa.initramfs",
            "IRONIC_AGENT_IMAGE", "quay.io/x/ipa",
            "PULL_SECRET_PATH", "/nonexistent/pull-secret"));

    Settings load() {
        return Settings.load(k -> Optional.ofNullable(env.get(k)));
    }

    @Test
    void defaults() {
        Settings s = load();
        assertEquals(Path.of("/images/ipa.iso"), s.deployIso());
        assertEquals("http://127.0.0.1:8084", s.publishAddr().toString());
        assertTrue(s.nmstateDir().isEmpty());
        assertEquals("", s.ignition().pullSecret());
    }

    @Test
    void leaderElectionIsOffByDefaultAndNeedsTheUrlKey() {
        assertTrue(load().controller().leaderElection().isEmpty(), "one replica, as upstream");
        env.put("LEADER_ELECTION", "true");
        var e = assertThrows(InvalidSettingException.class, this::load);
        assertEquals("IMAGE_URL_KEY", e.settingName());
        assertTrue(e.getMessage().contains("kubectl create secret generic"), "says how to create the key: " + e.getMessage());
        env.put("IMAGE_URL_KEY", "k");
        env.put("POD_NAME", "icc-7d9f-abcde");
        env.put("POD_NAMESPACE", "metal3");
        Settings.LeaderElection le = load().controller().leaderElection().orElseThrow();
        assertEquals(new Settings.LeaderElection("image-customization-controller", Optional.of("metal3"), "icc-7d9f-abcde"), le);
        env.put("LEADER_ELECTION_NAMESPACE", "leases");
        env.put("LEADER_ELECTION_ID", "icc-lock");
        assertEquals(new Settings.LeaderElection("icc-lock", Optional.of("leases"), "icc-7d9f-abcde"),
                load().controller().leaderElection().orElseThrow());
        assertFalse(load().controller().toString().contains("=k,"), "the key is never printed");
        env.remove("POD_NAME");
        String id1 = load().controller().leaderElection().orElseThrow().identity();
        String id2 = load().controller().leaderElection().orElseThrow().identity();
        assertFalse(id1.equals(id2), "two processes on one host stay apart: " + id1);
        env.put("LEADER_ELECTION_ID", "Bad_Name");
        assertEquals("LEADER_ELECTION_ID", assertThrows(InvalidSettingException.class, this::load).settingName());
        env.put("LEADER_ELECTION_ID", "icc-lock");
        env.put("LEADER_ELECTION", "yes");
        assertEquals("LEADER_ELECTION", assertThrows(InvalidSettingException.class, this::load).settingName());
        env.put("LEADER_ELECTION", "true");
        env.put("NMSTATE_DIR", "/hosts");
        assertEquals("LEADER_ELECTION", assertThrows(InvalidSettingException.class, this::load).settingName(),
                "static mode writes nothing to elect for");
    }

    @Test
    void eachRequiredVariableIsNamed() {
        for (String name : new String[] {"DEPLOY_ISO", "DEPLOY_INITRD", "IRONIC_AGENT_IMAGE"}) {
            String saved = env.remove(name);
            var e = assertThrows(InvalidSettingException.class, this::load);
            assertEquals(name, e.settingName());
            assertTrue(e.getMessage().contains(name), e.getMessage());
            env.put(name, "  ");
            assertThrows(InvalidSettingException.class, this::load, "blank counts as missing");
            env.put(name, saved);
        }
    }

    @Test
    void badPublishAddr() {
        for (String bad : new String[] {"127.0.0.1:8084", "ftp://x/", "http://", "::"}) {
            env.put("IMAGES_PUBLISH_ADDR", bad);
            var e = assertThrows(InvalidSettingException.class, this::load, bad);
            assertEquals("IMAGES_PUBLISH_ADDR", e.settingName());
        }
    }

    @Test
    void pullSecretFromEnvOrFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("ps");
        Files.writeString(f, "eyJmaWxlIjp7fX0=\n");
        env.put("PULL_SECRET_PATH", f.toString());
        assertEquals("eyJmaWxlIjp7fX0=", load().ignition().pullSecret());
        env.put("IRONIC_AGENT_PULL_SECRET", "eyJlbnYiOnt9fQ==");
        assertEquals("eyJlbnYiOnt9fQ==", load().ignition().pullSecret());
    }

    /** Upstream TestRegistriesConf: the file is returned byte for byte; unreadable is a clear error. */
    @Test
    void registriesConf(@TempDir Path dir) throws Exception {
        String conf = "[[registry]]\n  prefix = \"\"\n  location = \"quay.io/openshift-release-dev/ocp-v4.0-art-dev\"\n"
                + "  mirror-by-digest-only = true\n\n  [[registry.mirror]]\n"
                + "    location = \"virthost.ostest.test.metalkube.org:5000/localimages/local-release-image\"\n";
        Path f = dir.resolve("registries.conf");
        Files.writeString(f, conf);
        env.put("REGISTRIES_CONF_PATH", f.toString());
        assertEquals(conf, new String(load().ignition().registriesConf()));
        env.put("REGISTRIES_CONF_PATH", dir.resolve("missing.conf").toString());
        var e = assertThrows(InvalidSettingException.class, this::load);
        assertEquals("REGISTRIES_CONF_PATH", e.settingName());
        assertTrue(e.getMessage().startsWith("failed to read registries.conf file " + dir.resolve("missing.conf")));
    }

    @Test
    void everyIgnitionVariableIsRead() {
        env.putAll(Map.of("IRONIC_BASE_URL", "http://a", "IRONIC_INSPECTOR_BASE_URL", "http://b",
                "IRONIC_RAMDISK_SSH_KEY", "ssh-ed25519 K", "IP_OPTIONS", "ip=dhcp", "HTTP_PROXY", "http://p",
                "HTTPS_PROXY", "http://q", "NO_PROXY", ".local", "IRONIC_AGENT_VLAN_INTERFACES", "never",
                "ADDITIONAL_NTP_SERVERS", "ntp1", "CA_BUNDLE", "/ca.crt"));
        var i = load().ignition();
        assertEquals(List.of("http://a", "http://b", "ssh-ed25519 K", "ip=dhcp", "http://p", "http://q", ".local",
                "never", "ntp1", "/ca.crt"), List.of(i.ironicBaseUrl(), i.ironicInspectorBaseUrl(), i.sshKey(),
                i.ipOptions(), i.httpProxy(), i.httpsProxy(), i.noProxy(), i.vlanInterfaces(), i.ntpServers(),
                i.caBundlePath()));
    }

    @Test
    void pullSecretNeverPrinted() {
        env.put("IRONIC_AGENT_PULL_SECRET", "c2VjcmV0LXZhbHVl");
        assertFalse(load().ignition().toString().contains("c2VjcmV0LXZhbHVl"));
        assertFalse(load().toString().contains("c2VjcmV0LXZhbHVl"));
        env.put("IRONIC_RAMDISK_SSH_KEY", "ssh-ed25519 AAAAsecretkey");
        env.put("HTTP_PROXY", "http://user:pw@proxy");
        assertFalse(load().toString().contains("AAAAsecretkey"));
        assertFalse(load().toString().contains("pw@proxy"));
    }

    static Settings.Server server(Map<String, String> env) {
        return Settings.process(k -> Optional.ofNullable(env.get(k)));
    }

    @Test
    void serverSettingsDefaultAndNeverFail() {
        Settings.Server d = server(Map.of());
        assertEquals(java.time.Duration.ofSeconds(20), d.shutdownGrace());
        assertEquals(Optional.of(Path.of("/tmp/icc-drain")), d.drainFile());
        assertEquals("10", d.drainSeconds());
        assertEquals(Settings.AccessLogMode.SUMMARY, d.accessLog());
        assertTrue(d.exitOnFatal());
        Settings.Server s = server(Map.of("ICC_SHUTDOWN_GRACE_SECONDS", "8", "ICC_DRAIN_FILE", "/run/drain",
                "ICC_ACCESS_LOG", "ALL", "ICC_EXIT_ON_FATAL", "false", "ICC_DRAIN_SECONDS", "5"));
        assertEquals(java.time.Duration.ofSeconds(8), s.shutdownGrace());
        assertEquals(Optional.of(Path.of("/run/drain")), s.drainFile());
        assertEquals("5", s.drainSeconds());
        assertEquals(Settings.AccessLogMode.ALL, s.accessLog());
        assertFalse(s.exitOnFatal());
        assertEquals(java.time.Duration.ofSeconds(20), server(Map.of("ICC_SHUTDOWN_GRACE_SECONDS", "soon")).shutdownGrace());
        assertEquals(java.time.Duration.ZERO, server(Map.of("ICC_SHUTDOWN_GRACE_SECONDS", "-3")).shutdownGrace());
        assertEquals(Settings.AccessLogMode.OFF, server(Map.of("ICC_ACCESS_LOG", "false")).accessLog());
        assertEquals(Optional.empty(), server(Map.of("ICC_DRAIN_FILE", "")).drainFile());
    }

    @Test
    void tlsNeedsBothFilesTheLauncherAndAnHttpsAddressWhenHttpIsOff() {
        assertTrue(load().tls().isEmpty(), "no TLS unless asked for");
        env.put("IMAGES_HTTP_ENABLED", "false");
        assertEquals("IMAGES_HTTP_ENABLED", assertThrows(InvalidSettingException.class, this::load).settingName(),
                "closing the only listener");
        env.put("IMAGES_TLS_CERT_FILE", "/tls/tls.crt");
        var e = assertThrows(InvalidSettingException.class, this::load);
        assertEquals("IMAGES_TLS_KEY_FILE", e.settingName());
        env.put("IMAGES_TLS_KEY_FILE", "/tls/tls.key");
        assertEquals("ICC_TLS_KEYSTORE", assertThrows(InvalidSettingException.class, this::load).settingName(),
                "started without the launcher, which makes the key store");
        env.put("ICC_TLS_KEYSTORE", "/out/tls/keystore.p12");
        env.put("ICC_TLS_KEYSTORE_PASSWORD", "secret-password");
        assertEquals("IMAGES_PUBLISH_ADDR", assertThrows(InvalidSettingException.class, this::load).settingName(),
                "http:// URLs with HTTP off");
        env.put("IMAGES_PUBLISH_ADDR", "https://images.example:8443/");
        env.put("TLS_SECURITY_PROFILE", "Modern");
        Settings.Tls tls = load().tls().orElseThrow();
        assertEquals(Path.of("/tls/tls.key"), tls.keyFile());
        assertEquals("Modern", tls.profile().name());
        assertFalse(tls.toString().contains("secret-password"), tls.toString());
        assertTrue(load().toString().contains("profile=Modern"), "the start-up line shows the profile");
        env.put("TLS_CIPHER_SUITES", "RC4-MD5");
        e = assertThrows(InvalidSettingException.class, this::load);
        assertTrue(e.getMessage().contains("TLS_MIN_VERSION and TLS_CIPHER_SUITES are for TLS_SECURITY_PROFILE=Custom"), e.getMessage());
    }
}
