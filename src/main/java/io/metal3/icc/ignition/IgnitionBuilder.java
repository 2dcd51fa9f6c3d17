package io.metal3.icc.ignition;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonWriter;

/**
 * Builds the Ignition 3.2.0 config that starts the Ironic Python Agent on the live image.
 * Minimal form: the agent configuration, the pull secret and the agent unit.
 */
public final class IgnitionBuilder {

    private IgnitionBuilder() {
    }

    public static byte[] build(IgnitionSettings settings, String hostname) {
        JsonArrayBuilder files = Json.createArrayBuilder();
        files.add(file("/etc/ironic-python-agent.conf", 0644,
                "\n[DEFAULT]\napi_url = " + settings.ironicBaseUrl() + "\ninsecure = True\n"));
        String authFlag = "";
        if (!settings.pullSecret().isEmpty()) {
            files.add(Json.createObjectBuilder()
                    .add("path", "/etc/authfile.json")
                    .add("mode", 0600)
                    .add("contents", Json.createObjectBuilder()
                            .add("source", "data:;base64," + settings.pullSecret())));
            authFlag = " --authfile=/etc/authfile.json";
        }
        String unit = "[Unit]\nDescription=Ironic Agent\nAfter=network-online.target\nWants=network-online.target\n"
                + "[Service]\nRestart=on-failure\nRestartSec=5\n"
                + "ExecStart=/bin/podman run --rm --privileged --network host"
                + " --env \"IPA_DEFAULT_HOSTNAME=" + hostname + "\"" + authFlag
                + " --name ironic-agent " + settings.ironicAgentImage() + "\n"
                + "[Install]\nWantedBy=multi-user.target\n";
        JsonObject config = Json.createObjectBuilder()
                .add("ignition", Json.createObjectBuilder().add("version", "3.2.0"))
                .add("storage", Json.createObjectBuilder().add("files", files))
                .add("systemd", Json.createObjectBuilder().add("units", Json.createArrayBuilder()
                        .add(Json.createObjectBuilder()
                                .add("name", "ironic-agent.service")
                                .add("enabled", true)
                                .add("contents", unit))))
                .build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonWriter w = Json.createWriter(out)) {
            w.writeObject(config);
        }
        return out.toByteArray();
    }

    private static JsonObjectBuilder file(String path, int mode, String content) {
        return Json.createObjectBuilder()
                .add("path", path)
                .add("mode", mode)
                .add("overwrite", false)
                .add("contents", Json.createObjectBuilder().add("source", dataUrl(content)));
    }

    static String dataUrl(String content) {
        return "data:," + URLEncoder.encode(content, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
