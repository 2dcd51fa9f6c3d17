package io.metal3.icc.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.metal3.icc.testing.Certs;
import io.metal3.icc.testing.Tools;

/** Pairs as openssl writes them, the way Secrets hold them. */
class PemKeyPairTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Certs.Key.class)
    void everyKeyEncodingBecomesAKeyStoreLibertyCanRead(Certs.Key encoding) throws Exception {
        Path[] pair = Certs.selfSigned(dir, "a", "images.example", encoding);
        PemKeyPair p = PemKeyPair.parse(Files.readAllBytes(pair[0]), Files.readAllBytes(pair[1]));
        assertTrue(p.describe().startsWith("CN=images.example, serial "), p.describe());
        assertEquals(Certs.serial(pair[0]).toLowerCase().replaceFirst("^0+", ""), p.chain().get(0).getSerialNumber().toString(16));

        char[] password = "s3cret".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(new ByteArrayInputStream(p.pkcs12(password)), password);
        assertEquals(p.key().getAlgorithm(), ks.getKey("icc", password).getAlgorithm());
        assertArrayEquals(p.key().getEncoded(), ks.getKey("icc", password).getEncoded());
        assertEquals(p.chain().get(0), ks.getCertificateChain("icc")[0]);
    }

    @Test
    void aChainKeepsItsOrder() throws Exception {
        Path[] leaf = Certs.selfSigned(dir, "leaf", "leaf", Certs.Key.EC_SEC1);
        Path[] other = Certs.selfSigned(dir, "ca", "ca", Certs.Key.EC_SEC1);
        byte[] chain = (Files.readString(leaf[0]) + Files.readString(other[0])).getBytes();
        PemKeyPair p = PemKeyPair.parse(chain, Files.readAllBytes(leaf[1]));
        assertEquals(2, p.chain().size());
        assertEquals("CN=ca", p.chain().get(1).getSubjectX500Principal().getName());
    }

    @Test
    void brokenPairsAreRefusedWithoutShowingTheKey() throws Exception {
        Path[] a = Certs.selfSigned(dir, "a", "a", Certs.Key.RSA_PKCS1);
        Path[] b = Certs.selfSigned(dir, "b", "b", Certs.Key.RSA_PKCS1);
        byte[] certA = Files.readAllBytes(a[0]);
        byte[] keyA = Files.readAllBytes(a[1]);
        assertRefused("does not belong to the certificate (CN=a)", certA, Files.readAllBytes(b[1]));
        assertRefused("holds no PEM certificate", Arrays.copyOf(certA, certA.length / 2), keyA);
        assertRefused("must hold one PEM private key, it holds 0", certA, Arrays.copyOf(keyA, keyA.length / 2));
        assertRefused("holds no PEM certificate", new byte[0], keyA);
        Tools.sh(dir, "openssl pkcs8 -topk8 -in a.key -passout pass:x -out enc.key");
        assertRefused("the private key is encrypted", certA, Files.readAllBytes(dir.resolve("enc.key")));
        String key = Files.readString(a[1]);
        String body = key.substring(key.indexOf('\n') + 1, key.indexOf("-----END"));
        String mangled = key.replace(body, body.replace('A', 'B').replace('M', 'N'));
        PemKeyPair.InvalidPairException e = assertThrows(PemKeyPair.InvalidPairException.class,
                () -> PemKeyPair.parse(certA, mangled.getBytes()));
        assertFalse(e.getMessage().contains(body.substring(0, 20)), "no key material in the message");
    }

    @Test
    void theSetupWritesAPrivateKeyStoreAtomicallyAndPrintsTheProfile() throws Exception {
        Path[] a = Certs.selfSigned(dir, "a", "a", Certs.Key.RSA_PKCS1);
        Path store = dir.resolve("out/keystore.p12");
        String out = TlsSetup.run(Map.of("IMAGES_TLS_CERT_FILE", a[0].toString(), "IMAGES_TLS_KEY_FILE", a[1].toString(),
                "TLS_SECURITY_PROFILE", "Modern", "ICC_TLS_KEYSTORE", store.toString(), "ICC_TLS_KEYSTORE_PASSWORD", "pw"));
        assertEquals("ICC_TLS_PROTOCOLS='TLSv1.3'\nICC_TLS_CIPHERS='TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384"
                + " TLS_CHACHA20_POLY1305_SHA256'\n", out);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store)));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(Files.newInputStream(store), "pw".toCharArray());
        assertTrue(ks.isKeyEntry("icc"));
        try (var files = Files.list(store.getParent())) {
            assertEquals(1, files.count(), "no temporary file left beside the key store");
        }
        Exception e = assertThrows(PemKeyPair.InvalidPairException.class, () -> TlsSetup.run(Map.of(
                "IMAGES_TLS_CERT_FILE", a[0].toString(), "IMAGES_TLS_KEY_FILE", a[0].toString(),
                "ICC_TLS_KEYSTORE", store.toString(), "ICC_TLS_KEYSTORE_PASSWORD", "pw")));
        assertTrue(e.getMessage().contains("private key"), e.getMessage());
    }

    private static void assertRefused(String part, byte[] cert, byte[] key) {
        PemKeyPair.InvalidPairException e = assertThrows(PemKeyPair.InvalidPairException.class, () -> PemKeyPair.parse(cert, key));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
