package io.metal3.icc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
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
            var e = assertThrows(MissingSettingException.class, this::load);
            assertEquals(name, e.settingName());
            assertTrue(e.getMessage().contains(name), e.getMessage());
            env.put(name, "  ");
            assertThrows(MissingSettingException.class, this::load, "blank counts as missing");
            env.put(name, saved);
        }
    }

    @Test
    void badPublishAddr() {
        for (String bad : new String[] {"127.0.0.1:8084", "ftp://x/", "http://", "::"}) {
            env.put("IMAGES_PUBLISH_ADDR", bad);
            var e = assertThrows(MissingSettingException.class, this::load, bad);
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

    @Test
    void pullSecretNeverPrinted() {
        env.put("IRONIC_AGENT_PULL_SECRET", "c2VjcmV0LXZhbHVl");
        assertFalse(load().ignition().toString().contains("c2VjcmV0LXZhbHVl"));
        assertFalse(load().toString().contains("c2VjcmV0LXZhbHVl"));
    }
}
