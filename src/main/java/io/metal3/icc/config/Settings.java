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
import io.metal3.icc.tls.TlsProfile;

/**
 * Everything the server reads from its environment, with upstream's variable names. Built from a
 * lookup function so that it is tested without MicroProfile Config.
 */
public record Settings(
        Path deployIso,
        Path deployInitrd,
        Optional<Path> nmstateDir,
        URI publishAddr,
        IgnitionSettings ignition,
        Optional<String> nmstatectl,
        Controller controller,
        Optional<Tls> tls) {

    /**
     * HTTPS on the image endpoint: the PEM pair (a mounted kubernetes.io/tls Secret), the TLS
     * security profile, and the PKCS#12 key store the launcher made from the pair for Liberty, which
     * the server rewrites when the pair changes.
     */
    public record Tls(Path certFile, Path keyFile, TlsProfile profile, Path keyStore,
                      String keyStorePassword) {
        /** Never prints the key store password. */
        @Override
        public String toString() {
            return "Tls[cert=" + certFile + ", key=" + keyFile + ", profile=" + profile.name() + " " + profile.protocols()
                    + ", keyStore=" + keyStore + "]";
        }
    }

    /**
     * Controller-mode settings.
     *
     * @param deployKernel base kernel of PXE (initrd) boots, beside DEPLOY_INITRD; per-architecture and
     *                     per-stream variants are found like the other base images
     * @param rootfsUrl    IRONIC_ROOTFS_URL: the live rootfs, passed as coreos.live.rootfs_url with initrd images
     */
    public record Controller(Optional<String> watchNamespace, Optional<Path> imageSharedDir,
                             Optional<String> imageUrlKey, int workers, Optional<LeaderElection> leaderElection,
                             Optional<Path> deployKernel, Optional<String> rootfsUrl) {
        /** Never prints the URL key. */
        @Override
        public String toString() {
            return "Controller[namespace=" + watchNamespace.orElse("(all)") + ", imageSharedDir="
                    + imageSharedDir.map(Path::toString).orElse("(beside DEPLOY_ISO)") + ", imageUrlKey="
                    + (imageUrlKey.isPresent() ? "(set)" : "(random per start)") + ", workers=" + workers
                    + ", leaderElection=" + leaderElection.map(LeaderElection::toString).orElse("off (one replica)")
                    + ", deployKernel=" + deployKernel.map(Path::toString).orElse("(none)")
                    + ", rootfsUrl=" + rootfsUrl.orElse("(none)") + "]";
        }
    }

    /**
     * Several replicas: one leader (a coordination.k8s.io Lease) writes, every replica serves.
     * @param namespace the Lease's namespace; empty = the client's (in a pod: the pod's own)
     */
    public record LeaderElection(String leaseName, Optional<String> namespace, String identity) {
        public static final String DEFAULT_LEASE_NAME = "image-customization-controller";
    }

    public static final String DEFAULT_PUBLISH_ADDR = "http://127.0.0.1:8084";
    public static final String DEFAULT_PULL_SECRET_PATH = "/run/secrets/pull-secret";

    /** Every variable read, for the documentation check. */
    public static final java.util.List<String> VARIABLES = java.util.List.of(
            "DEPLOY_ISO", "DEPLOY_INITRD", "IRONIC_AGENT_IMAGE", "IRONIC_BASE_URL", "IRONIC_INSPECTOR_BASE_URL",
            "IRONIC_AGENT_PULL_SECRET", "PULL_SECRET_PATH", "IRONIC_RAMDISK_SSH_KEY", "IP_OPTIONS",
            "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "IRONIC_AGENT_VLAN_INTERFACES", "ADDITIONAL_NTP_SERVERS",
            "CA_BUNDLE", "REGISTRIES_CONF_PATH", "NMSTATE_DIR", "IMAGES_PUBLISH_ADDR", "NMSTATECTL",
            "WATCH_NAMESPACE", "IMAGE_SHARED_DIR", "IMAGE_URL_KEY", "RECONCILE_WORKERS", "LEADER_ELECTION",
            "LEADER_ELECTION_NAMESPACE", "LEADER_ELECTION_ID", "POD_NAME", "POD_NAMESPACE", "DEPLOY_KERNEL",
            "IRONIC_ROOTFS_URL", "IMAGES_TLS_CERT_FILE", "IMAGES_TLS_KEY_FILE", "TLS_SECURITY_PROFILE", "TLS_MIN_VERSION",
            "TLS_CIPHER_SUITES", "IMAGES_HTTP_ENABLED", "ICC_TLS_KEYSTORE", "ICC_TLS_KEYSTORE_PASSWORD");

    /**
     * The process's own settings, read by {@link #process}, whatever the mode; ICC_DRAIN_SECONDS is
     * also read by the preStop hook (icc-drain).
     */
    public static final java.util.List<String> SERVER_VARIABLES = java.util.List.of(
            "ICC_EXIT_ON_FATAL", "ICC_ACCESS_LOG", "ICC_SHUTDOWN_GRACE_SECONDS", "ICC_DRAIN_SECONDS", "ICC_DRAIN_FILE",
            "MAX_CONCURRENT_REQUESTS");

    /** Read by Liberty (server.xml variables, logging) and fabric8, not by this code. */
    public static final java.util.List<String> PLATFORM_VARIABLES = java.util.List.of(
            "IMAGES_HTTP_PORT", "IMAGES_HTTPS_PORT", "IMAGES_BIND_HOST", "IMAGES_KEEPALIVE_TIMEOUT", "KUBECONFIG",
            "WLP_LOGGING_CONSOLE_FORMAT", "ICC_TLS_CONFIG", "ICC_TLS_PROTOCOLS", "ICC_TLS_CIPHERS");

    /** Every variable this code, the hook and the platform read. */
    public static final java.util.List<String> PROCESS_VARIABLES = java.util.stream.Stream.concat(
            SERVER_VARIABLES.stream(), PLATFORM_VARIABLES.stream()).toList();

    /** What ICC_ACCESS_LOG asks for. */
    public enum AccessLogMode {
        /** a line per request, ranged GETs (206) summed per image every 10 s */
        SUMMARY,
        /** a line per request, ranges too */
        ALL,
        /** none */
        OFF
    }

    /**
     * Settings of the server process in both modes. Never fails: a value that cannot be used is
     * replaced by its default with a warning, so that a typo here does not stop image serving.
     *
     * @param shutdownGrace how long responses under way may run after SIGTERM
     * @param drainFile     the file through which the preStop hook asks for a drain; empty: no drain
     * @param drainSeconds  how long the hook drains (for the log; the hook reads it itself)
     * @param exitOnFatal   exit 1 when the configuration cannot work
     * @param maxConcurrentRequests image responses written at once; more are answered 503 (0: no cap)
     */
    public record Server(java.time.Duration shutdownGrace, Optional<Path> drainFile, String drainSeconds,
                         AccessLogMode accessLog, boolean exitOnFatal, int maxConcurrentRequests) {
        /** As assisted-image-service's MAX_CONCURRENT_REQUESTS. */
        public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 400;
        public static final java.time.Duration DEFAULT_SHUTDOWN_GRACE = java.time.Duration.ofSeconds(20);
        public static final String DEFAULT_DRAIN_FILE = "/tmp/icc-drain";
    }

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(Settings.class.getName());

    public static Server process(Function<String, Optional<String>> env) {
        java.time.Duration grace = Server.DEFAULT_SHUTDOWN_GRACE;
        Optional<String> g = value(env, "ICC_SHUTDOWN_GRACE_SECONDS");
        if (g.isPresent()) {
            try {
                grace = java.time.Duration.ofSeconds(Math.max(0, Integer.parseInt(g.get())));
            } catch (NumberFormatException e) {
                LOG.warning("ICC_SHUTDOWN_GRACE_SECONDS is not a number of seconds: using "
                        + Server.DEFAULT_SHUTDOWN_GRACE.toSeconds());
            }
        }
        // Set but empty turns the drain off, so the raw value decides.
        String drain = env.apply("ICC_DRAIN_FILE").orElse(Server.DEFAULT_DRAIN_FILE).strip();
        String mode = value(env, "ICC_ACCESS_LOG").orElse("true").toLowerCase(java.util.Locale.ROOT);
        AccessLogMode access = switch (mode) {
            case "false" -> AccessLogMode.OFF;
            case "all" -> AccessLogMode.ALL;
            default -> AccessLogMode.SUMMARY;
        };
        int max = Server.DEFAULT_MAX_CONCURRENT_REQUESTS;
        Optional<String> m = value(env, "MAX_CONCURRENT_REQUESTS");
        if (m.isPresent()) {
            try {
                max = Math.max(0, Integer.parseInt(m.get()));
            } catch (NumberFormatException e) {
                LOG.warning("MAX_CONCURRENT_REQUESTS is not a number: using " + max);
            }
        }
        return new Server(grace, drain.isEmpty() ? Optional.empty() : Optional.of(Path.of(drain)),
                value(env, "ICC_DRAIN_SECONDS").orElse("10"), access,
                Boolean.parseBoolean(value(env, "ICC_EXIT_ON_FATAL").orElse("true")), max);
    }

    public static Settings load(Function<String, Optional<String>> env) {
        Path iso = Path.of(required(env, "DEPLOY_ISO", "path of the base CoreOS live ISO"));
        Path initrd = Path.of(required(env, "DEPLOY_INITRD", "path of the base initramfs"));
        String agentImage = required(env, "IRONIC_AGENT_IMAGE", "pull spec of the ironic-python-agent container image");
        Optional<Path> nmstateDir = value(env, "NMSTATE_DIR").map(Path::of);
        URI publish = publishAddr(value(env, "IMAGES_PUBLISH_ADDR").orElse(DEFAULT_PUBLISH_ADDR));
        IgnitionSettings ignition = new IgnitionSettings(
                raw(env, "IRONIC_BASE_URL"),
                raw(env, "IRONIC_INSPECTOR_BASE_URL"),
                agentImage,
                pullSecret(env),
                raw(env, "IRONIC_RAMDISK_SSH_KEY"),
                raw(env, "IP_OPTIONS"),
                raw(env, "HTTP_PROXY"),
                raw(env, "HTTPS_PROXY"),
                raw(env, "NO_PROXY"),
                raw(env, "IRONIC_AGENT_VLAN_INTERFACES"),
                raw(env, "ADDITIONAL_NTP_SERVERS"),
                raw(env, "CA_BUNDLE"),
                registriesConf(env));
        int workers;
        try {
            workers = Integer.parseInt(value(env, "RECONCILE_WORKERS").orElse("4"));
        } catch (NumberFormatException e) {
            workers = 0;
        }
        if (workers < 1 || workers > 64) {
            throw new InvalidSettingException("RECONCILE_WORKERS", "RECONCILE_WORKERS must be a number from 1 to 64");
        }
        Controller controller = new Controller(value(env, "WATCH_NAMESPACE"), value(env, "IMAGE_SHARED_DIR").map(Path::of),
                value(env, "IMAGE_URL_KEY"), workers, leaderElection(env), value(env, "DEPLOY_KERNEL").map(Path::of),
                rootfsUrl(env));
        return new Settings(iso, initrd, nmstateDir, publish, ignition, value(env, "NMSTATECTL"), controller,
                tls(env, publish));
    }

    /** TLS when IMAGES_TLS_CERT_FILE and IMAGES_TLS_KEY_FILE are set; the launcher has then made the key store. */
    private static Optional<Tls> tls(Function<String, Optional<String>> env, URI publish) {
        Optional<String> cert = value(env, "IMAGES_TLS_CERT_FILE");
        Optional<String> key = value(env, "IMAGES_TLS_KEY_FILE");
        boolean httpOff = value(env, "IMAGES_HTTP_ENABLED").map(v -> v.equalsIgnoreCase("false")).orElse(false);
        if (cert.isEmpty() && key.isEmpty()) {
            if (httpOff) {
                throw new InvalidSettingException("IMAGES_HTTP_ENABLED", "IMAGES_HTTP_ENABLED=false turns off the only"
                        + " listener: set IMAGES_TLS_CERT_FILE and IMAGES_TLS_KEY_FILE for HTTPS, or keep HTTP on");
            }
            return Optional.empty();
        }
        if (cert.isEmpty() || key.isEmpty()) {
            String missing = cert.isEmpty() ? "IMAGES_TLS_CERT_FILE" : "IMAGES_TLS_KEY_FILE";
            throw new InvalidSettingException(missing, "HTTPS needs both IMAGES_TLS_CERT_FILE and IMAGES_TLS_KEY_FILE"
                    + " (tls.crt and tls.key of a kubernetes.io/tls Secret): set " + missing);
        }
        TlsProfile profile;
        try {
            profile = TlsProfile.of(raw(env, "TLS_SECURITY_PROFILE"), raw(env, "TLS_MIN_VERSION"),
                    raw(env, "TLS_CIPHER_SUITES"));
        } catch (TlsProfile.InvalidProfileException e) {
            throw new InvalidSettingException("TLS_SECURITY_PROFILE", e.getMessage());
        }
        Optional<String> keyStore = value(env, "ICC_TLS_KEYSTORE");
        Optional<String> password = value(env, "ICC_TLS_KEYSTORE_PASSWORD");
        if (keyStore.isEmpty() || password.isEmpty()) {
            throw new InvalidSettingException("ICC_TLS_KEYSTORE", "IMAGES_TLS_CERT_FILE is set but the server was not"
                    + " started by the image's launcher, which makes Liberty's key store from it: start it through"
                    + " /machine-image-customization-controller (or -server)");
        }
        if (httpOff && publish.getScheme().equals("http")) {
            throw new InvalidSettingException("IMAGES_PUBLISH_ADDR", "IMAGES_PUBLISH_ADDR " + publish + " is plain HTTP but"
                    + " IMAGES_HTTP_ENABLED=false: publish an https:// address, or keep HTTP on");
        }
        return Optional.of(new Tls(Path.of(cert.get()), Path.of(key.get()), profile, Path.of(keyStore.get()),
                password.get()));
    }

    /**
     * LEADER_ELECTION=true is how a replica knows it may be one of several. Replicas agree on image
     * URLs only through a shared IMAGE_URL_KEY, so it is required then.
     */
    private static Optional<LeaderElection> leaderElection(Function<String, Optional<String>> env) {
        String on = value(env, "LEADER_ELECTION").orElse("false").toLowerCase(java.util.Locale.ROOT);
        if (!on.equals("true") && !on.equals("false")) {
            throw new InvalidSettingException("LEADER_ELECTION", "LEADER_ELECTION must be true or false, not '" + on + "'");
        }
        if (on.equals("false")) {
            return Optional.empty();
        }
        if (value(env, "NMSTATE_DIR").isPresent()) {
            throw new InvalidSettingException("LEADER_ELECTION",
                    "LEADER_ELECTION is for controller mode; static mode (NMSTATE_DIR) writes nothing: unset one of them");
        }
        if (value(env, "IMAGE_URL_KEY").isEmpty()) {
            throw new InvalidSettingException("IMAGE_URL_KEY", "IMAGE_URL_KEY is required with LEADER_ELECTION=true:"
                    + " every replica must derive the same image URLs. Create it once, e.g. `kubectl create secret generic"
                    + " image-customization-url-key --from-literal=key=$(openssl rand -hex 32)`, and give it to every"
                    + " replica as IMAGE_URL_KEY");
        }
        String id = value(env, "LEADER_ELECTION_ID").orElse(LeaderElection.DEFAULT_LEASE_NAME);
        if (!id.matches("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")) {
            throw new InvalidSettingException("LEADER_ELECTION_ID",
                    "LEADER_ELECTION_ID '" + id + "' is not a valid Lease name (lower-case DNS subdomain)");
        }
        Optional<String> ns = value(env, "LEADER_ELECTION_NAMESPACE").or(() -> value(env, "POD_NAMESPACE"));
        // Pod names are unique among live pods; the suffix keeps two processes on one host apart.
        String identity = value(env, "POD_NAME").orElseGet(() -> {
            byte[] suffix = new byte[4];
            new java.security.SecureRandom().nextBytes(suffix);
            return hostName() + "_" + java.util.HexFormat.of().formatHex(suffix);
        });
        return Optional.of(new LeaderElection(id, ns, identity));
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "icc";
        }
    }

    private static Optional<String> rootfsUrl(Function<String, Optional<String>> env) {
        Optional<String> url = value(env, "IRONIC_ROOTFS_URL");
        if (url.isPresent()) {
            try {
                URI u = new URI(url.get());
                if (u.getScheme() == null || u.getHost() == null || !u.getScheme().matches("https?")) {
                    throw new URISyntaxException(url.get(), "expected http(s)://host/path");
                }
            } catch (URISyntaxException e) {
                throw new InvalidSettingException("IRONIC_ROOTFS_URL", "IRONIC_ROOTFS_URL '" + url.get()
                        + "' is not an absolute http(s) URL of the live rootfs: " + e.getReason());
            }
        }
        return url;
    }

    /** Built-in converter, or nmstatectl when NMSTATECTL names the binary. */
    public io.metal3.icc.nmstate.HostNetwork hostNetwork() {
        return new io.metal3.icc.nmstate.HostNetwork(nmstatectl.map(
                b -> new io.metal3.icc.nmstate.Nmstatectl(b, java.time.Duration.ofSeconds(30))).orElse(null));
    }

    private static String required(Function<String, Optional<String>> env, String name, String what) {
        return value(env, name).orElseThrow(() -> new InvalidSettingException(name,
                "required environment variable " + name + " is not set: set it to the " + what));
    }

    private static Optional<String> value(Function<String, Optional<String>> env, String name) {
        return env.apply(name).map(String::strip).filter(s -> !s.isEmpty());
    }

    private static String raw(Function<String, Optional<String>> env, String name) {
        return value(env, name).orElse("");
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
            throw new InvalidSettingException("IMAGES_PUBLISH_ADDR",
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
            throw new InvalidSettingException("PULL_SECRET_PATH",
                    "cannot read the pull secret file " + file + ": " + e.getMessage());
        }
    }

    /** Read once; upstream panicked when the file was unreadable. */
    private static byte[] registriesConf(Function<String, Optional<String>> env) {
        Optional<String> path = value(env, "REGISTRIES_CONF_PATH");
        if (path.isEmpty()) {
            return new byte[0];
        }
        try {
            return Files.readAllBytes(Path.of(path.get()));
        } catch (IOException e) {
            throw new InvalidSettingException("REGISTRIES_CONF_PATH",
                    "failed to read registries.conf file " + path.get() + ": " + e + "; fix or unset REGISTRIES_CONF_PATH");
        }
    }
}
