package io.metal3.icc.ignition;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

/**
 * Upstream embeds the pull secret as {@code data:;base64,<value>}, so the value had to be base64 of
 * a docker config JSON already; anything else passed the build and failed the host's boot. Here a
 * base64 value must decode to a JSON object, and raw JSON is accepted and encoded: both forms are in
 * use (the OpenShift operator stores it base64'd, people paste config.json), and neither is ambiguous.
 */
public final class PullSecrets {

    private PullSecrets() {
    }

    /** @return the base64 to embed, or "" when there is no pull secret */
    public static String toBase64(String configured) throws IgnitionBuildException {
        String v = configured.strip();
        if (v.isEmpty()) {
            return "";
        }
        if (v.startsWith("{")) {
            requireJsonObject(v, "the pull secret looks like JSON but does not parse");
            return Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8));
        }
        byte[] decoded;
        try {
            decoded = Base64.getMimeDecoder().decode(v);
        } catch (IllegalArgumentException e) {
            throw new IgnitionBuildException("the pull secret is neither base64 of a docker config JSON nor that JSON");
        }
        requireJsonObject(new String(decoded, StandardCharsets.UTF_8),
                "the pull secret is base64 but does not decode to a docker config JSON object");
        return Base64.getEncoder().encodeToString(decoded);
    }

    // The message never includes the secret itself.
    private static void requireJsonObject(String json, String message) throws IgnitionBuildException {
        try (JsonReader r = Json.createReader(new StringReader(json))) {
            JsonObject ignored = r.readObject();
        } catch (JsonException | IllegalStateException e) {
            throw new IgnitionBuildException(message);
        }
    }
}
