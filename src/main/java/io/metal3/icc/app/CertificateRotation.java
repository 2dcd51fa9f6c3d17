package io.metal3.icc.app;

import java.io.IOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import io.metal3.icc.config.Settings;
import io.metal3.icc.tls.PemKeyPair;
import io.metal3.icc.tls.TlsSetup;

/**
 * Certificates rotated without a restart: the certificate and key files are read every
 * {@link #POLL_SECONDS} s (the kubelet swaps a Secret's files at once, through a symlink); a new,
 * matching pair becomes a new key store, which Liberty polls and gives to new connections, while
 * connections under way finish on the old certificate. A half-written or mismatched pair is refused
 * with a log line and the old pair stays in service.
 */
final class CertificateRotation implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CertificateRotation.class.getName());
    static final long POLL_SECONDS = 10;

    private final Settings.Tls tls;
    private final ScheduledExecutorService timer;
    private byte[] inService;
    private byte[] refused;

    CertificateRotation(Settings.Tls tls) {
        this.tls = tls;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "icc-tls-rotation");
            t.setDaemon(true);
            return t;
        });
    }

    /** The pair the launcher put in the key store is the one in service now. */
    void start() {
        inService = digest();
        try {
            LOG.info("TLS: serving " + PemKeyPair.parse(Files.readAllBytes(tls.certFile()), Files.readAllBytes(tls.keyFile()))
                    .describe() + " (" + tls.profile().name() + " profile: " + tls.profile().protocols() + ")");
        } catch (IOException | PemKeyPair.InvalidPairException e) {
            LOG.warning("TLS: the certificate files changed since start-up: " + e.getMessage());
        }
        timer.scheduleWithFixedDelay(this::poll, POLL_SECONDS, POLL_SECONDS, TimeUnit.SECONDS);
    }

    void poll() {
        byte[] now = digest();
        if (now == null || Arrays.equals(now, inService) || Arrays.equals(now, refused)) {
            return;
        }
        try {
            PemKeyPair pair = PemKeyPair.parse(Files.readAllBytes(tls.certFile()), Files.readAllBytes(tls.keyFile()));
            TlsSetup.writeKeyStore(pair, tls.keyStore(), tls.keyStorePassword().toCharArray());
            inService = now;
            refused = null;
            LOG.info("TLS: certificate rotated: new connections get " + pair.describe());
        } catch (PemKeyPair.InvalidPairException | IOException e) {
            // Often a moment between two writes of the files: said once per content, retried on change.
            refused = now;
            LOG.warning("TLS: new certificate files refused, the certificate in service stays: " + e.getMessage());
        }
    }

    /** SHA-256 over both files; null when one cannot be read (it is being replaced). */
    private byte[] digest() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Files.readAllBytes(tls.certFile()));
            sha.update((byte) 0);
            sha.update(Files.readAllBytes(tls.keyFile()));
            return sha.digest();
        } catch (IOException e) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
