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
}
