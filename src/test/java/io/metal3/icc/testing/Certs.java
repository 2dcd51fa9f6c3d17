package io.metal3.icc.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Certificates and keys made by the openssl CLI, in the encodings real Secrets hold. */
public final class Certs {

    private Certs() {
    }

    /** Key encodings: PKCS#1 RSA (service-ca, cert-manager's default), SEC1 EC, PKCS#8 RSA. */
    public enum Key {
        RSA_PKCS1("openssl genrsa -traditional -out %s 2048"),
        EC_SEC1("openssl ecparam -name prime256v1 -genkey -noout -out %s"),
        RSA_PKCS8("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out %s");

        final String command;

        Key(String command) {
            this.command = command;
        }
    }

    /** A self-signed pair for {@code cn} (and 127.0.0.1/localhost) as {@code name.crt} and {@code name.key} in dir. */
    public static Path[] selfSigned(Path dir, String name, String cn, Key key) throws Exception {
        Files.createDirectories(dir);
        Path k = dir.resolve(name + ".key");
        Path c = dir.resolve(name + ".crt");
        Tools.sh(dir, String.format(key.command, k.getFileName()));
        Tools.sh(dir, "openssl req -x509 -new -key " + k.getFileName() + " -subj /CN=" + cn + " -days 2"
                + " -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -out " + c.getFileName());
        return new Path[] {c, k};
    }

    /** The leaf certificate's serial number as openssl prints it (hex). */
    public static String serial(Path cert) {
        return Tools.sh(cert.getParent(), "openssl x509 -noout -serial -in " + cert.getFileName()).stdout()
                .strip().replaceFirst("^serial=", "");
    }
}
