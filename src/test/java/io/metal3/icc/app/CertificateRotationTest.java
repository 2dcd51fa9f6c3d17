package io.metal3.icc.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.metal3.icc.config.Settings;
import io.metal3.icc.testing.Certs;
import io.metal3.icc.tls.TlsProfile;
import io.metal3.icc.tls.TlsSetup;

/** Rotation as the kubelet does it: the Secret's ..data symlink swapped to a new directory at once. */
class CertificateRotationTest {

    @TempDir
    Path dir;

    @Test
    void aNewPairReplacesTheKeyStoreAndABrokenOneIsRefusedKeepingTheOld() throws Exception {
        Path first = Certs.selfSigned(dir.resolve("v1"), "tls", "first", Certs.Key.RSA_PKCS1)[0].getParent();
        Path second = Certs.selfSigned(dir.resolve("v2"), "tls", "second", Certs.Key.EC_SEC1)[0].getParent();
        Path mount = dir.resolve("mount");
        Files.createDirectories(mount);
        Files.createSymbolicLink(mount.resolve("..data"), first);
        Files.createSymbolicLink(mount.resolve("tls.crt"), Path.of("..data/tls.crt"));
        Files.createSymbolicLink(mount.resolve("tls.key"), Path.of("..data/tls.key"));
        Path store = dir.resolve("out/keystore.p12");
        Settings.Tls tls = new Settings.Tls(mount.resolve("tls.crt"), mount.resolve("tls.key"), TlsProfile.of(null, null, null),
                store, "pw");
        TlsSetup.run(Map.of("IMAGES_TLS_CERT_FILE", tls.certFile().toString(), "IMAGES_TLS_KEY_FILE", tls.keyFile().toString(),
                "ICC_TLS_KEYSTORE", store.toString(), "ICC_TLS_KEYSTORE_PASSWORD", "pw"));
        List<String> log = capture();
        try (CertificateRotation rotation = new CertificateRotation(tls)) {
            rotation.start();
            assertEquals("CN=first", subject(store));
            rotation.poll();
            assertEquals("CN=first", subject(store), "nothing changed, nothing written");

            swap(mount, second);
            rotation.poll();
            assertEquals("CN=second", subject(store));
            assertTrue(log.stream().anyMatch(l -> l.startsWith("TLS: certificate rotated: new connections get CN=second")), log::toString);

            // a Secret updated by hand, one file after the other: the key of v1 with the certificate of v2
            Path half = dir.resolve("v3");
            Files.createDirectories(half);
            Files.copy(second.resolve("tls.crt"), half.resolve("tls.crt"));
            Files.copy(first.resolve("tls.key"), half.resolve("tls.key"));
            swap(mount, half);
            long before = Files.getLastModifiedTime(store).toMillis();
            rotation.poll();
            rotation.poll();
            assertEquals("CN=second", subject(store), "the pair in service stays");
            assertEquals(before, Files.getLastModifiedTime(store).toMillis());
            assertEquals(1, log.stream().filter(l -> l.startsWith("TLS: new certificate files refused, the certificate in service"
                    + " stays: the private key does not belong to the certificate (CN=second)")).count(), "said once: " + log);

            // completed: the pair in service again, nothing to write; then a new pair rotates as before
            Files.copy(second.resolve("tls.key"), half.resolve("tls.key"), StandardCopyOption.REPLACE_EXISTING);
            rotation.poll();
            assertEquals(before, Files.getLastModifiedTime(store).toMillis());
            swap(mount, Certs.selfSigned(dir.resolve("v4"), "tls", "third", Certs.Key.RSA_PKCS8)[0].getParent());
            rotation.poll();
            assertEquals("CN=third", subject(store));
            assertTrue(log.get(log.size() - 1).startsWith("TLS: certificate rotated: new connections get CN=third"), log::toString);
            assertTrue(log.stream().noneMatch(l -> l.contains("PRIVATE KEY")), "no key material logged");
        }
    }

    private static void swap(Path mount, Path target) throws Exception {
        Path tmp = mount.resolve("..data_tmp");
        Files.createSymbolicLink(tmp, target);
        Files.move(tmp, mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String subject(Path store) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "pw".toCharArray());
        }
        return ((X509Certificate) ks.getCertificate("icc")).getSubjectX500Principal().getName();
    }

    private static List<String> capture() {
        List<String> lines = new ArrayList<>();
        Logger logger = Logger.getLogger(CertificateRotation.class.getName());
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                synchronized (lines) {
                    lines.add(r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        return lines;
    }
}
