package io.metal3.icc.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A certificate chain and its private key from PEM text, as a {@code kubernetes.io/tls} Secret holds
 * them ({@code tls.crt}, {@code tls.key}): PKCS#8, PKCS#1 (RSA, as OpenShift's service CA and
 * cert-manager write by default) or SEC1 (EC) keys, unencrypted. The pair must match: a half-written
 * or mismatched pair is refused, so that the certificate in service is never replaced by a broken one.
 */
public record PemKeyPair(List<X509Certificate> chain, PrivateKey key) {

    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");

    /** The file contents are not a usable pair; the message says why, never what the key holds. */
    public static final class InvalidPairException extends Exception {
        public InvalidPairException(String message) {
            super(message);
        }
    }

    public static PemKeyPair parse(byte[] certPem, byte[] keyPem) throws InvalidPairException {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(certPem)) {
                if (b.type().equals("CERTIFICATE")) {
                    chain.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
                }
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new InvalidPairException("the certificate file holds no readable certificate: " + e.getMessage());
        }
        if (chain.isEmpty()) {
            throw new InvalidPairException("the certificate file holds no PEM certificate");
        }
        List<Block> keys = blocks(keyPem).stream().filter(b -> b.type().endsWith("PRIVATE KEY")).toList();
        if (keys.size() != 1) {
            throw new InvalidPairException("the key file must hold one PEM private key, it holds " + keys.size());
        }
        PrivateKey key = privateKey(keys.get(0), chain.get(0).getPublicKey());
        if (!matches(key, chain.get(0).getPublicKey())) {
            throw new InvalidPairException("the private key does not belong to the certificate ("
                    + chain.get(0).getSubjectX500Principal().getName() + ")");
        }
        return new PemKeyPair(List.copyOf(chain), key);
    }

    private record Block(String type, byte[] der) {
    }

    private static List<Block> blocks(byte[] pem) throws InvalidPairException {
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(new String(pem, StandardCharsets.US_ASCII));
        while (m.find()) {
            try {
                out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException e) {
                throw new InvalidPairException("a PEM " + m.group(1) + " block is not valid base64");
            }
        }
        return out;
    }

    private static PrivateKey privateKey(Block b, PublicKey certKey) throws InvalidPairException {
        if (b.type().equals("ENCRYPTED PRIVATE KEY")) {
            throw new InvalidPairException("the private key is encrypted: give it unencrypted, as a kubernetes.io/tls Secret does");
        }
        try {
            byte[] pkcs8 = switch (b.type()) {
                case "PRIVATE KEY" -> b.der();
                case "RSA PRIVATE KEY" -> wrap(new byte[] {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
                    (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00}, b.der());
                case "EC PRIVATE KEY" -> wrap(ecAlgorithm(b.der()), b.der());
                default -> throw new InvalidPairException("unsupported key type " + b.type());
            };
            String algorithm = b.type().startsWith("RSA") ? "RSA" : b.type().startsWith("EC") ? "EC" : certKey.getAlgorithm();
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new InvalidPairException("the private key is not readable (" + b.type() + ")");
        }
    }

    /** PKCS#8 PrivateKeyInfo: version 0, the algorithm identifier, the key as an OCTET STRING. */
    private static byte[] wrap(byte[] algorithmIdentifier, byte[] key) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(algorithmIdentifier);
        body.writeBytes(tlv(0x04, key));
        return tlv(0x30, body.toByteArray());
    }

    /** id-ecPublicKey with the named curve that SEC1's ECPrivateKey carries in its [0] parameters. */
    private static byte[] ecAlgorithm(byte[] sec1) {
        int i = headerLength(sec1, 0); // SEQUENCE
        i += headerLength(sec1, i) + length(sec1, i); // INTEGER version
        i += headerLength(sec1, i) + length(sec1, i); // OCTET STRING key
        if ((sec1[i] & 0xff) != 0xa0) {
            throw new IllegalArgumentException("EC key without named curve");
        }
        int oidAt = i + headerLength(sec1, i);
        byte[] curveOid = java.util.Arrays.copyOfRange(sec1, oidAt, oidAt + headerLength(sec1, oidAt) + length(sec1, oidAt));
        byte[] ecPublicKey = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
        byte[] seq = new byte[ecPublicKey.length + curveOid.length];
        System.arraycopy(ecPublicKey, 0, seq, 0, ecPublicKey.length);
        System.arraycopy(curveOid, 0, seq, ecPublicKey.length, curveOid.length);
        return tlv(0x30, seq);
    }

    private static int headerLength(byte[] der, int at) {
        int l = der[at + 1] & 0xff;
        return l < 0x80 ? 2 : 2 + (l & 0x7f);
    }

    private static int length(byte[] der, int at) {
        int l = der[at + 1] & 0xff;
        if (l < 0x80) {
            return l;
        }
        return new BigInteger(1, java.util.Arrays.copyOfRange(der, at + 2, at + 2 + (l & 0x7f))).intValueExact();
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            byte[] len = BigInteger.valueOf(n).toByteArray();
            int skip = len[0] == 0 ? 1 : 0;
            out.write(0x80 | (len.length - skip));
            out.write(len, skip, len.length - skip);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    /** A signature made with the key verifies with the certificate's public key. */
    private static boolean matches(PrivateKey key, PublicKey pub) {
        try {
            String alg = switch (pub.getAlgorithm()) {
                case "RSA" -> "SHA256withRSA";
                case "EC" -> "SHA256withECDSA";
                case "Ed25519", "EdDSA" -> "Ed25519";
                default -> throw new GeneralSecurityException("unsupported key algorithm " + pub.getAlgorithm());
            };
            byte[] probe = "image-customization-controller".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(pub);
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The pair as a PKCS#12 key store (alias "icc"), which Liberty reads. */
    public byte[] pkcs12(char[] password) throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("icc", key, password, chain.toArray(new X509Certificate[0]));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ks.store(out, password);
            return out.toByteArray();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write a PKCS#12 key store: " + e.getMessage(), e);
        }
    }

    /** For logs: subject, serial and expiry of the leaf. */
    public String describe() {
        X509Certificate leaf = chain.get(0);
        return leaf.getSubjectX500Principal().getName() + ", serial " + leaf.getSerialNumber().toString(16)
                + ", valid until " + leaf.getNotAfter().toInstant();
    }
}
