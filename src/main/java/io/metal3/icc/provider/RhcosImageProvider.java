package io.metal3.icc.provider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.metal3.icc.config.Settings;
import io.metal3.icc.hostimage.BaseImages;
import io.metal3.icc.hostimage.HostImageException;
import io.metal3.icc.hostimage.HostImages;
import io.metal3.icc.hostimage.Streams;
import io.metal3.icc.image.ImageFormat;
import io.metal3.icc.image.InvalidBaseImageException;
import io.metal3.icc.registry.ImageRegistry;

/**
 * Builds each host's Ignition and registers the image. Image names are
 * HMAC-SHA256(server key, image key + Ignition digest): unguessable without the key, the same after a
 * restart for the same content (so URLs in PPI statuses keep working once re-registered), and new
 * whenever the content changes (a rebuilt image never answers at the old URL).
 */
public final class RhcosImageProvider implements ImageProvider {

    private static final Logger LOG = Logger.getLogger(RhcosImageProvider.class.getName());

    private final Settings settings;
    private final HostImages images;
    private final BaseImages bases;
    private final ImageRegistry registry;
    private final byte[] urlKey;
    /** "namespace/name" of a PreprovisioningImage → its one image: the key it was built for and its name */
    private final Map<String, Registered> names = new ConcurrentHashMap<>();

    private record Registered(String key, String name) {
    }

    private static String owner(String namespace, String name) {
        return namespace + "/" + name;
    }

    public RhcosImageProvider(Settings settings, BaseImages bases, ImageRegistry registry, byte[] urlKey) {
        this.settings = settings;
        this.images = new HostImages(settings.ignition(), settings.hostNetwork(), registry, settings.publishAddr());
        this.bases = bases;
        this.registry = registry;
        this.urlKey = urlKey.clone();
    }

    @Override
    public boolean supportsArchitecture(String stream, String architecture) {
        return bases.supports(stream, architecture);
    }

    @Override
    public String architectureHelp(String stream, String architecture) {
        return bases.help(stream, architecture);
    }

    @Override
    public boolean supportsFormat(String format) {
        return ImageFormat.ISO.apiName().equals(format) || ImageFormat.INITRD.apiName().equals(format);
    }

    @Override
    public GeneratedImage buildImage(ImageData data, Map<String, byte[]> networkData) throws BuildInvalidException, IOException {
        byte[] nmstate = null;
        if (networkData != null && !networkData.isEmpty()) {
            nmstate = networkData.get("nmstate");
            if (nmstate == null) {
                throw new BuildInvalidException("network data Secret provided but missing required 'nmstate' key"
                        + " (it has " + networkData.keySet().stream().sorted().toList() + ")");
            }
        }
        ImageFormat format = ImageFormat.ISO.apiName().equals(data.format()) ? ImageFormat.ISO : ImageFormat.INITRD;
        String stream = data.stream() == null ? "" : data.stream();
        Path base = null;
        try {
            byte[] ignition = images.ignition(data.name(), nmstate);
            base = bases.find(stream, data.architecture(), format == ImageFormat.ISO ? BaseImages.Kind.ISO
                    : BaseImages.Kind.INITRD).orElseThrow(() -> new BuildInvalidException("Base Image not available: "
                            + bases.help(stream, data.architecture())));
            String kernelUrl = null;
            String kernelParams = null;
            if (format == ImageFormat.INITRD) {
                kernelUrl = kernel(stream, data.architecture());
                String arch = bases.resolve(data.architecture());
                kernelParams = settings.controller().rootfsUrl()
                        .map(u -> "coreos.live.rootfs_url=" + Streams.rootfsUrl(u, stream, arch, bases.hostArch()))
                        .orElse(null);
            }
            String name = name(data.key(), ignition);
            String owner = owner(data.namespace(), data.name());
            Registered prior = names.get(owner);
            if (prior == null || !prior.name().equals(name) || registry.find(name).isEmpty()) {
                images.register(name, format, data.architecture(), ignition, base, true);
                names.put(owner, new Registered(data.key(), name));
                // One image per PreprovisioningImage: the one built before (other content, or other inputs
                // such as another stream label) goes.
                if (prior != null && !prior.name().equals(name)) {
                    registry.remove(prior.name());
                }
                LOG.fine(() -> "registered image for " + data.key());
            }
            return new GeneratedImage(images.url(name).toString(), kernelUrl, kernelParams);
        } catch (HostImageException e) {
            if (e.retryable()) {
                throw (IOException) e.getCause();
            }
            throw new BuildInvalidException(switch (e.stage()) {
                case NETWORK -> "invalid NMState in Secret " + data.networkData().getName() + ": " + e.getMessage();
                case IGNITION -> e.getMessage();
                case BASE_IMAGE -> "Base Image not available: " + e.getMessage();
                case EMBED_AREA -> e.getMessage() + " in base ISO " + base
                        + "; the Ignition of this host is too large for its /images/ignition.img";
            });
        }
    }

    /**
     * The URL of the PXE kernel for a stream and architecture, served at the fixed, non-secret
     * {@code /kernel-[<stream>-]<arch>}; null for the host's default stream without DEPLOY_KERNEL (as
     * upstream). Another architecture, or a stream when kernels are configured, needs its own kernel:
     * one from elsewhere would not match the initramfs' modules.
     */
    private String kernel(String stream, String architecture) throws BuildInvalidException {
        String arch = bases.resolve(architecture);
        var kernel = bases.find(stream, architecture, BaseImages.Kind.KERNEL);
        if (kernel.isEmpty()) {
            if (!arch.equals(bases.hostArch()) || (!stream.isEmpty() && bases.kernelsConfigured())) {
                throw new BuildInvalidException("no kernel file available for architecture " + arch
                        + (stream.isEmpty() ? "" : " and stream " + stream) + (bases.kernelsConfigured()
                        ? ": provide " + bases.kernelHelp(stream, architecture)
                        : ": set DEPLOY_KERNEL and provide the kernels of the architectures booted with initrd"));
            }
            return null;
        }
        String name = "kernel-" + (stream.isEmpty() ? "" : stream + "-") + arch;
        try {
            registry.registerFile(name, arch, kernel.get());
        } catch (InvalidBaseImageException e) {
            throw new BuildInvalidException("Base Image not available: " + e.getMessage());
        }
        return images.url(name).toString();
    }

    @Override
    public void discardImage(ImageData data) {
        names.computeIfPresent(owner(data.namespace(), data.name()), (k, r) -> {
            if (!r.key().equals(data.key())) {
                return r; // built for other inputs: not this one
            }
            registry.remove(r.name());
            return null;
        });
    }

    @Override
    public void discardAll(String namespace, String name) {
        Registered r = names.remove(owner(namespace, name));
        if (r != null) {
            registry.remove(r.name());
        }
    }

    String name(String imageKey, byte[] ignition) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(urlKey, "HmacSHA256"));
            mac.update(imageKey.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(MessageDigest.getInstance("SHA-256").digest(ignition));
            return HexFormat.of().formatHex(mac.doFinal(), 0, 16);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}
