package io.metal3.icc.ignition;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/** A parsed Ignition config, for assertions. */
record Ign(JsonObject json) {

    static Ign parse(byte[] bytes) {
        return new Ign(Json.createReader(new ByteArrayInputStream(bytes)).readObject());
    }

    String version() {
        return json.getJsonObject("ignition").getString("version");
    }

    List<JsonObject> files() {
        JsonObject storage = json.getJsonObject("storage");
        return storage == null || !storage.containsKey("files") ? List.of()
                : storage.getJsonArray("files").getValuesAs(JsonObject.class);
    }

    List<String> paths() {
        return files().stream().map(f -> f.getString("path")).toList();
    }

    JsonObject file(String path) {
        return files().stream().filter(f -> f.getString("path").equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no file " + path + " in " + paths()));
    }

    /** The raw data URL of a file (contents or first append). */
    static String source(JsonObject file) {
        if (file.containsKey("append")) {
            return file.getJsonArray("append").getJsonObject(0).getString("source");
        }
        return file.getJsonObject("contents").getString("source");
    }

    String text(String path) {
        return new String(DataUrls.decode(source(file(path))), StandardCharsets.UTF_8);
    }

    List<JsonObject> users() {
        JsonObject passwd = json.getJsonObject("passwd");
        return passwd == null || !passwd.containsKey("users") ? List.of()
                : passwd.getJsonArray("users").getValuesAs(JsonObject.class);
    }

    List<JsonObject> units() {
        JsonArray units = json.getJsonObject("systemd").getJsonArray("units");
        return units.getValuesAs(JsonObject.class);
    }

    String unitText() {
        return units().get(0).getString("contents");
    }

    static Integer mode(JsonObject f) {
        return f.containsKey("mode") ? f.getInt("mode") : null;
    }

    static Boolean overwrite(JsonObject f) {
        return f.containsKey("overwrite") ? f.get("overwrite") == JsonValue.TRUE : null;
    }
}
