package io.metal3.icc.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Run by the launcher before Liberty starts, when TLS is configured: checks the profile, turns the
 * PEM pair into the PKCS#12 key store Liberty reads (Liberty has no PEM key stores, and its TLS
 * listener does not start when the key store appears later), and prints the shell assignments of
 * the protocols and ciphers for server.xml. Exit 1 with the reason on a bad profile or pair.
 * Reads IMAGES_TLS_CERT_FILE, IMAGES_TLS_KEY_FILE, TLS_SECURITY_PROFILE, TLS_MIN_VERSION,
 * TLS_CIPHER_SUITES, ICC_TLS_KEYSTORE and ICC_TLS_KEYSTORE_PASSWORD.
 */
public final class TlsSetup {

    private TlsSetup() {
    }

    public static void main(String[] args) {
        try {
            System.out.print(run(System.getenv()));
        } catch (TlsProfile.InvalidProfileException | PemKeyPair.InvalidPairException | IOException e) {
            System.err.println("TLS: " + e.getMessage());
            System.exit(1);
        }
    }

    /** @return {@code ICC_TLS_PROTOCOLS=…} and {@code ICC_TLS_CIPHERS=…} lines, single-quoted */
    public static String run(Map<String, String> env)
            throws TlsProfile.InvalidProfileException, PemKeyPair.InvalidPairException, IOException {
        TlsProfile profile = TlsProfile.of(env.get("TLS_SECURITY_PROFILE"), env.get("TLS_MIN_VERSION"),
                env.get("TLS_CIPHER_SUITES"));
        Path cert = Path.of(required(env, "IMAGES_TLS_CERT_FILE"));
        Path key = Path.of(required(env, "IMAGES_TLS_KEY_FILE"));
        PemKeyPair pair;
        try {
            pair = PemKeyPair.parse(Files.readAllBytes(cert), Files.readAllBytes(key));
        } catch (IOException e) {
            throw new IOException("cannot read " + cert + " or " + key + ": " + e.getMessage(), e);
        }
        writeKeyStore(pair, Path.of(required(env, "ICC_TLS_KEYSTORE")), required(env, "ICC_TLS_KEYSTORE_PASSWORD").toCharArray());
        return "ICC_TLS_PROTOCOLS='" + profile.libertyProtocols() + "'\nICC_TLS_CIPHERS='" + profile.libertyCiphers() + "'\n";
    }

    private static String required(Map<String, String> env, String name) throws IOException {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            throw new IOException(name + " is not set");
        }
        return v.strip();
    }

    /** Written beside and moved over the old one, so that Liberty never reads half a key store. */
    public static void writeKeyStore(PemKeyPair pair, Path keyStore, char[] password) throws IOException {
        Path dir = keyStore.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".keystore", ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's permissions protect it
        }
        try {
            Files.write(tmp, pair.pkcs12(password));
            Files.move(tmp, keyStore, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
