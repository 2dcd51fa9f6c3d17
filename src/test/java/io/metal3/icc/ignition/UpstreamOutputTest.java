package io.metal3.icc.ignition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metal3.icc.nmstate.NetworkKeyfile;

/**
 * Our output against what upstream's pkg/ignition produced for the two examples of spec §5.9
 * (Appendices A and B, copied into test resources): same files in the same order with the same
 * bytes, modes and flags, same users and unit. Deliberate differences are asserted explicitly.
 */
class UpstreamOutputTest {

    @Test
    void appendixAMinimal() throws Exception {
        Ign upstream = Ign.parse(resource("appendix-a.json"));
        Ign ours = Ign.parse(IgnitionBuilder.build(
                IgnitionSettings.of("https://192.0.2.10:6385", "registry.example.com/ironic-agent:latest"),
                HostConfig.withoutNetwork("")));
        assertEquals(upstream.version(), ours.version());
        assertEquals(upstream.paths(), ours.paths());
        for (int i = 0; i < upstream.files().size(); i++) {
            JsonObject u = upstream.files().get(i);
            JsonObject o = ours.files().get(i);
            assertEquals(Ign.source(u), Ign.source(o), u.getString("path"));
            assertEquals(Ign.mode(u), Ign.mode(o), u.getString("path"));
            assertEquals(Ign.overwrite(u), Ign.overwrite(o), u.getString("path"));
        }
        assertEquals(upstream.users(), ours.users());
        assertEquals(upstream.units(), ours.units());
    }

    @Test
    void appendixBTypicalOpenShift(@TempDir Path dir) throws Exception {
        Map<String, Block> blocks = blocks(new String(resource("appendix-b.txt"), StandardCharsets.UTF_8));
        Path ca = dir.resolve("ca.crt");
        Files.writeString(ca, blocks.get("/etc/pki/ca-trust/source/anchors/ca.crt").text + "\n");
        String keyfile = blocks.get("/etc/NetworkManager/system-connections/eth0.nmconnection").text + "\n";
        IgnitionSettings s = new IgnitionSettings(
                "https://192.0.2.10:6385,https://[2001:db8::10]:6385", "",
                "registry.example.com/ironic-agent@sha256:0123", "eyJhdXRocyI6e319",
                "ssh-ed25519 AAAAC3Nza user@example.com\n", "ip=dhcp",
                "http://proxy.example.com:3128", "http://proxy.example.com:3128", ".cluster.local,192.0.2.10",
                "", "ntp1.example.com,192.0.2.123", ca.toString(),
                (blocks.get("/etc/containers/registries.conf").text + "\n").getBytes(StandardCharsets.UTF_8));
        Ign ours = Ign.parse(IgnitionBuilder.build(s, new HostConfig("worker-0", true,
                List.of(new NetworkKeyfile("eth0.nmconnection", keyfile)))));

        List<String> expectedPaths = new ArrayList<>(blocks.keySet());
        expectedPaths.removeIf(p -> !p.startsWith("/"));
        assertEquals(expectedPaths, ours.paths());
        for (String path : expectedPaths) {
            Block b = blocks.get(path);
            JsonObject f = ours.file(path);
            if (path.equals("/etc/authfile.json")) {
                assertEquals(b.text.replace("<raw source> ", ""), Ign.source(f));
                assertEquals(0600, Ign.mode(f), "deliberate: upstream leaves 0644");
                continue;
            }
            String expected = path.endsWith("01-hostname") ? jsonString(b.text) : b.text;
            String actual = ours.text(path);
            assertEquals(trimNewlines(expected), trimNewlines(actual), path);
            assertEquals(b.mode, Ign.mode(f), path);
            assertEquals(b.overwrite, Ign.overwrite(f), path);
            assertEquals(b.append, f.containsKey("append"), path);
        }
        JsonObject users = Json.createReader(new StringReader("{\"u\":" + blocks.get("passwd.users").header + "}")).readObject();
        assertEquals(users.getJsonArray("u").toString().replace(" ", ""),
                Json.createArrayBuilder(ours.users()).build().toString().replace(" ", ""));
        assertEquals(trimNewlines(blocks.get("systemd.units[0]").text), trimNewlines(ours.unitText()));
    }

    record Block(String header, Integer mode, Boolean overwrite, boolean append, String text) {
    }

    private static final Pattern FILE_HEADER =
            Pattern.compile("----- (/\\S+)\\s+mode=(\\S+) overwrite=(\\S+) (contents|APPEND)");

    static Map<String, Block> blocks(String text) {
        Map<String, Block> out = new LinkedHashMap<>();
        String key = null;
        String header = null;
        Integer mode = null;
        Boolean overwrite = null;
        boolean append = false;
        StringBuilder body = new StringBuilder();
        for (String line : (text + "----- end\n").split("\n", -1)) {
            if (line.startsWith("----- ")) {
                if (key != null) {
                    out.put(key, new Block(header, mode, overwrite, append, body.toString()));
                }
                body.setLength(0);
                Matcher m = FILE_HEADER.matcher(line);
                if (m.lookingAt()) {
                    key = m.group(1);
                    mode = m.group(2).equals("(unset)") ? null : Integer.parseInt(m.group(2), 8);
                    overwrite = m.group(3).equals("(unset)") ? null : Boolean.valueOf(m.group(3).equalsIgnoreCase("true"));
                    append = m.group(4).equals("APPEND");
                    header = line;
                } else if (line.startsWith("----- passwd.users: ")) {
                    key = "passwd.users";
                    header = line.substring("----- passwd.users: ".length());
                } else if (line.startsWith("----- systemd.units[0]")) {
                    key = "systemd.units[0]";
                    header = line;
                } else {
                    key = null;
                }
                continue;
            }
            if (body.length() > 0) {
                body.append('\n');
            }
            body.append(line);
            if (body.length() == 0 && line.isEmpty()) {
                body.append('\u0000'); // remember a leading empty line
            }
        }
        out.replaceAll((k, b) -> new Block(b.header, b.mode, b.overwrite, b.append, b.text.replace("\u0000", "")));
        return out;
    }

    private static String jsonString(String quoted) {
        return Json.createReader(new StringReader("[" + quoted.strip() + "]")).readArray().getString(0);
    }

    private static String trimNewlines(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '\n') {
            end--;
        }
        return s.substring(0, end);
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = UpstreamOutputTest.class.getResourceAsStream("/upstream/" + name)) {
            assertNotNull(in, name);
            byte[] b = in.readAllBytes();
            assertTrue(b.length > 0);
            return b;
        }
    }
}
