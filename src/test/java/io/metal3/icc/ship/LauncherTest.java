package io.metal3.icc.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.metal3.icc.testing.Tools;

/** The drop-in executables, run by a real shell in dry-run mode: flags → configuration. */
class LauncherTest {

    static final Path DIR = Path.of("src/main/launcher").toAbsolutePath();

    static Tools.Result run(String exe, String... args) {
        List<String> cmd = new ArrayList<>(List.of("env", "-u", "WATCH_NAMESPACE", "-u", "KUBECONFIG", "-u", "LEADER_ELECTION",
                "-u", "LEADER_ELECTION_ID", "-u", "LEADER_ELECTION_NAMESPACE",
                "ICC_LAUNCHER_DRY_RUN=1", DIR.resolve(exe).toString()));
        cmd.addAll(List.of(args));
        return Tools.run(DIR, cmd);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "upstream OpenShift form|-images-bind-addr :8084 -images-publish-addr http://svc.ns.svc.cluster.local/|IMAGES_HTTP_PORT=8084 IMAGES_BIND_HOST=* IMAGES_PUBLISH_ADDR=http://svc.ns.svc.cluster.local/ WATCH_NAMESPACE=",
            "equals form|-images-bind-addr=127.0.0.1:9000 -namespace=metal3|IMAGES_HTTP_PORT=9000 IMAGES_BIND_HOST=127.0.0.1 IMAGES_PUBLISH_ADDR=http://127.0.0.1:8084 WATCH_NAMESPACE=metal3",
            "double dash|--namespace metal3 --kubeconfig=/k/config --metrics-addr :8080|IMAGES_HTTP_PORT=8084 IMAGES_BIND_HOST=* IMAGES_PUBLISH_ADDR=http://127.0.0.1:8084 KUBECONFIG=/k/config WATCH_NAMESPACE=metal3",
            "ipv6 bind|-images-bind-addr [::1]:8085|IMAGES_HTTP_PORT=8085 IMAGES_BIND_HOST=::1 IMAGES_PUBLISH_ADDR=http://127.0.0.1:8084 WATCH_NAMESPACE=",
            "defaults|''|IMAGES_HTTP_PORT=8084 IMAGES_BIND_HOST=* IMAGES_PUBLISH_ADDR=http://127.0.0.1:8084 WATCH_NAMESPACE=",
            "leader election (bool flag takes no argument)|-leader-elect -leader-election-id icc-lock --leader-election-namespace=leases -namespace m|IMAGES_HTTP_PORT=8084 IMAGES_BIND_HOST=* IMAGES_PUBLISH_ADDR=http://127.0.0.1:8084 WATCH_NAMESPACE=m LEADER_ELECTION=true LEADER_ELECTION_ID=icc-lock LEADER_ELECTION_NAMESPACE=leases",
            "leader election off|--leader-elect=false|IMAGES_HTTP_PORT=8084 IMAGES_BIND_HOST=* IMAGES_PUBLISH_ADDR=http://127.0.0.1:8084 WATCH_NAMESPACE= LEADER_ELECTION=false",
    })
    void controllerFlags(String name, String args, String expected) {
        Tools.Result r = run("machine-image-customization-controller", args.isBlank() ? new String[0] : args.split(" "));
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(expected.replace(' ', '\n') + "\n", r.stdout());
    }

    @Test
    void namespaceDefaultsToWatchNamespace() {
        Tools.Result r = Tools.run(DIR, List.of("env", "WATCH_NAMESPACE=from-env", "ICC_LAUNCHER_DRY_RUN=1",
                DIR.resolve("machine-image-customization-controller").toString()));
        assertTrue(r.stdout().contains("WATCH_NAMESPACE=from-env\n"), r.stdout());
        r = Tools.run(DIR, List.of("env", "WATCH_NAMESPACE=from-env", "ICC_LAUNCHER_DRY_RUN=1",
                DIR.resolve("machine-image-customization-controller").toString(), "-namespace", "flag-wins"));
        assertTrue(r.stdout().contains("WATCH_NAMESPACE=flag-wins\n"), r.stdout());
    }

    @Test
    void runsThroughTheLinksTheImageMakesInAnotherFolder(@org.junit.jupiter.api.io.TempDir Path root) throws Exception {
        // The Containerfile links /machine-image-customization-server to /usr/local/icc/...; icc-launch
        // is found beside the link's target, not beside the link.
        for (String exe : List.of("machine-image-customization-server", "machine-image-customization-controller")) {
            java.nio.file.Files.createSymbolicLink(root.resolve(exe), DIR.resolve(exe));
            Tools.Result r = Tools.run(root, List.of("env", "ICC_LAUNCHER_DRY_RUN=1", root.resolve(exe).toString(),
                    "-images-bind-addr", ":9999", exe.endsWith("server") ? "-nmstate-dir=/n" : "-namespace=m"));
            assertEquals(0, r.exit(), exe + ": " + r.stderr());
            assertTrue(r.stdout().startsWith("IMAGES_HTTP_PORT=9999\n"), r.stdout());
        }
    }

    @Test
    void anEmptyOutputDirectoryGetsTheWorkareaSeedAndAFilledOneIsLeftAlone(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path seed = dir.resolve("seed");
        java.nio.file.Files.createDirectories(seed.resolve("workarea/org.eclipse.osgi"));
        java.nio.file.Files.writeString(seed.resolve("workarea/org.eclipse.osgi/cache"), "warm");
        Path out = dir.resolve("output");
        List<String> cmd = List.of("env", "ICC_SERVER_COMMAND=true", "ICC_OUTPUT_SEED=" + seed, "WLP_OUTPUT_DIR=" + out,
                DIR.resolve("machine-image-customization-server").toString(), "-nmstate-dir", "/n");
        Tools.Result r = Tools.run(dir, cmd);
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("warm", java.nio.file.Files.readString(out.resolve("defaultServer/workarea/org.eclipse.osgi/cache")));
        java.nio.file.Files.writeString(out.resolve("defaultServer/workarea/org.eclipse.osgi/cache"), "used");
        assertEquals(0, Tools.run(dir, cmd).exit());
        assertEquals("used", java.nio.file.Files.readString(out.resolve("defaultServer/workarea/org.eclipse.osgi/cache")),
                "a restart in the same pod keeps Liberty's own workarea");
    }

    @Test
    void staticServer() {
        Tools.Result r = run("machine-image-customization-server", "-nmstate-dir", "/etc/nmstate", "-images-publish-addr=http://h:1");
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("IMAGES_HTTP_PORT=8084\nIMAGES_BIND_HOST=*\nIMAGES_PUBLISH_ADDR=http://h:1\nNMSTATE_DIR=/etc/nmstate\n", r.stdout());
        r = run("machine-image-customization-server");
        assertEquals(1, r.exit());
        assertEquals("no nmstate-dir provided\n", r.stderr());
    }

    @Test
    void unknownFlagsAndMissingValuesExit2WithUsage() {
        for (String[] args : List.of(new String[] {"-bogus"}, new String[] {"--nmstate-dir", "/x"}, new String[] {"-namespace"},
                new String[] {"-images-bind-addr", "nonsense"}, new String[] {"-leader-elect=maybe"})) {
            Tools.Result r = run("machine-image-customization-controller", args);
            assertEquals(2, r.exit(), String.join(" ", args));
        }
        Tools.Result r = run("machine-image-customization-controller", "-bogus");
        assertTrue(r.stderr().startsWith("flag provided but not defined: -bogus\nUsage of /machine-image-customization-controller:"), r.stderr());
    }

    @Test
    void helpExits0() {
        Tools.Result r = run("machine-image-customization-server", "-h");
        assertEquals(0, r.exit());
        assertTrue(r.stdout().contains("-nmstate-dir string"), r.stdout());
    }

    static Tools.Result drain(Path file, String seconds) {
        return Tools.run(DIR, List.of("env", "ICC_DRAIN_FILE=" + file, "ICC_DRAIN_SECONDS=" + seconds,
                DIR.resolve("icc-drain").toString()));
    }

    @Test
    void drainHookAsksTheServerThroughItsFileThenWaits(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("drain");
        java.util.concurrent.atomic.AtomicBoolean seen = new java.util.concurrent.atomic.AtomicBoolean();
        Thread server = new Thread(() -> { // what the server does: take the request
            long end = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < end && !seen.get()) {
                try {
                    seen.set(java.nio.file.Files.deleteIfExists(file));
                    Thread.sleep(20);
                } catch (Exception e) {
                    return;
                }
            }
        });
        server.start();
        long t0 = System.nanoTime();
        Tools.Result r = drain(file, "1");
        double seconds = (System.nanoTime() - t0) / 1e9;
        server.join();
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(seen.get(), "the hook created " + file);
        assertEquals("", r.stdout() + r.stderr());
        assertTrue(seconds >= 1, "waited ICC_DRAIN_SECONDS: " + seconds);
    }

    @Test
    void drainHookSaysWhenNoServerTookTheRequestAndNeverFails(@org.junit.jupiter.api.io.TempDir Path dir) {
        Path file = dir.resolve("drain");
        Tools.Result r = drain(file, "1");
        assertEquals(0, r.exit());
        assertTrue(r.stderr().contains("did not take the drain request"), r.stderr());
        assertTrue(!java.nio.file.Files.exists(file), "no request left behind for the next start");
        r = drain(dir.resolve("missing-dir/drain"), "1");
        assertEquals(0, r.exit(), "a failing hook would only delay SIGTERM");
        assertTrue(r.stderr().contains("cannot create"), r.stderr());
        r = drain(file, "0");
        assertEquals(0, r.exit());
        assertEquals("", r.stderr());
        assertTrue(!java.nio.file.Files.exists(file), "ICC_DRAIN_SECONDS=0: no drain");
        r = drain(dir.resolve("x/drain"), "ten");
        assertTrue(r.stderr().contains("not a whole number of seconds"), r.stderr());
    }

    @Test
    void tlsFlagsAndHttpsOnlyInDryRun() {
        Tools.Result r = Tools.run(DIR, List.of("env", "ICC_LAUNCHER_DRY_RUN=1", "IMAGES_TLS_CERT_FILE=/tls/tls.crt",
                "IMAGES_TLS_KEY_FILE=/tls/tls.key", "IMAGES_HTTP_ENABLED=false",
                DIR.resolve("machine-image-customization-server").toString(), "-nmstate-dir", "/n",
                "-tls-min-version", "VersionTLS13", "--tls-cipher-suites=TLS_AES_128_GCM_SHA256"));
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("IMAGES_HTTP_PORT=-1\nIMAGES_BIND_HOST=*\nIMAGES_PUBLISH_ADDR=http://127.0.0.1:8084\nNMSTATE_DIR=/n\n"
                + "IMAGES_HTTPS_PORT=8443\nICC_TLS_CONFIG=tls.xml\nTLS_MIN_VERSION=VersionTLS13\n"
                + "TLS_CIPHER_SUITES=TLS_AES_128_GCM_SHA256\n", r.stdout());
    }

    /** The launcher's real TLS set-up (the classes of target/classes, as the image's icc-tls.jar holds them). */
    @Test
    void tlsSetupMakesTheKeyStoreAndRefusesABadProfileBeforeLibertyStarts(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path[] pair = io.metal3.icc.testing.Certs.selfSigned(dir, "tls", "images", io.metal3.icc.testing.Certs.Key.RSA_PKCS1);
        List<String> cmd = new ArrayList<>(List.of("env", "ICC_SERVER_COMMAND=env", "WLP_OUTPUT_DIR=" + dir.resolve("output"),
                "ICC_TLS_CLASSPATH=" + Path.of("target/classes").toAbsolutePath(), "IMAGES_TLS_CERT_FILE=" + pair[0],
                "IMAGES_TLS_KEY_FILE=" + pair[1]));
        List<String> start = List.of(DIR.resolve("machine-image-customization-server").toString(), "-nmstate-dir", "/n");
        List<String> all = new ArrayList<>(cmd);
        all.addAll(start);
        Tools.Result r = Tools.run(dir, all);
        assertEquals(0, r.exit(), r.stderr());
        List<String> env = List.of(r.stdout().split("\n"));
        assertTrue(env.contains("ICC_TLS_PROTOCOLS=TLSv1.2,TLSv1.3"), r.stdout());
        assertTrue(env.contains("ICC_TLS_CONFIG=tls.xml") && env.contains("IMAGES_HTTPS_PORT=8443")
                && env.contains("IMAGES_HTTP_PORT=8084"), r.stdout());
        assertTrue(env.contains("ICC_TLS_KEYSTORE=" + dir.resolve("output/tls/keystore.p12")), r.stdout());
        String password = env.stream().filter(l -> l.startsWith("ICC_TLS_KEYSTORE_PASSWORD=")).findFirst().orElseThrow()
                .substring("ICC_TLS_KEYSTORE_PASSWORD=".length());
        assertEquals(48, password.length(), "192 random bits");
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(java.nio.file.Files.newInputStream(dir.resolve("output/tls/keystore.p12")), password.toCharArray());
        assertTrue(ks.isKeyEntry("icc"));

        all = new ArrayList<>(cmd);
        all.add("TLS_SECURITY_PROFILE=Custom");
        all.addAll(start);
        all.addAll(List.of("-tls-cipher-suites", "RC4-MD5"));
        r = Tools.run(dir, all);
        assertEquals(1, r.exit());
        assertEquals("", r.stdout(), "Liberty not started");
        assertTrue(r.stderr().startsWith("TLS: unknown TLS cipher suite 'RC4-MD5'"), r.stderr());
    }
}
