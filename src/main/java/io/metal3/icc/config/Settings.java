package io.metal3.icc.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

import io.metal3.icc.ignition.IgnitionSettings;

/**
 * Everything the server reads from its environment, with upstream's variable names. Built from a
 * lookup function so that it is tested without MicroProfile Config.
 */
public record Settings(
        Path deployIso,
        Path deployInitrd,
        Optional<Path> nmstateDir,
        URI publishAddr,
        IgnitionSettings ignition) {

    public static final String DEFAULT_PUBLISH_ADDR = "http://127.0.0.1:8084";
    public static final String DEFAULT_PULL_SECRET_PATH = "/run/secrets/pull-secret";

    public static Settings load(Function<String, Optional<String>> env) {
        Path iso = Path.of(required(env, "DEPLOY_ISO", "path of the base CoreOS live ISO"));
        Path initrd = Path.of(required(env, "DEPLOY_INITRD", "path of the base initramfs"));
        String agentImage = required(env, "IRONIC_AGENT_IMAGE", "pull spec of the ironic-python-agent container image");
        Optional<Path> nmstateDir = value(env, "NMSTATE_DIR").map(Path::of);
        URI publish = publishAddr(value(env, "IMAGES_PUBLISH_ADDR").orElse(DEFAULT_PUBLISH_ADDR));
        IgnitionSettings ignition = new IgnitionSettings(
                value(env, "IRONIC_BASE_URL").orElse(""),
                agentImage,
                pullSecret(env));
        return new Settings(iso, initrd, nmstateDir, publish, ignition);
    }

    private static String required(Function<String, Optional<String>> env, String name, String what) {
        return value(env, name).orElseThrow(() -> new MissingSettingException(name,
                "required environment variable " + name + " is not set: set it to the " + what));
    }

    private static Optional<String> value(Function<String, Optional<String>> env, String name) {
        return env.apply(name).map(String::strip).filter(s -> !s.isEmpty());
    }

    private static URI publishAddr(String raw) {
        try {
            URI uri = new URI(raw);
            if (uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new URISyntaxException(raw, "expected http(s)://host[:port][/path]");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new MissingSettingException("IMAGES_PUBLISH_ADDR",
                    "IMAGES_PUBLISH_ADDR '" + raw + "' is not a usable base URL: " + e.getReason());
        }
    }

    /** IRONIC_AGENT_PULL_SECRET, else the file at PULL_SECRET_PATH (default /run/secrets/pull-secret). */
    private static String pullSecret(Function<String, Optional<String>> env) {
        Optional<String> inline = value(env, "IRONIC_AGENT_PULL_SECRET");
        if (inline.isPresent()) {
            return inline.get();
        }
        Path file = Path.of(value(env, "PULL_SECRET_PATH").orElse(DEFAULT_PULL_SECRET_PATH));
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new MissingSettingException("PULL_SECRET_PATH",
                    "cannot read the pull secret file " + file + ": " + e.getMessage());
        }
    }
}
