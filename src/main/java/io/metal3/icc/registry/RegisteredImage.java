package io.metal3.icc.registry;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.metal3.icc.image.BaseFileState;
import io.metal3.icc.image.BaseImageInspector;
import io.metal3.icc.image.EmbedAreaTooSmallException;
import io.metal3.icc.image.IgnitionArchive;
import io.metal3.icc.image.ImageFormat;
import io.metal3.icc.image.ImageLayout;
import io.metal3.icc.image.InvalidBaseImageException;

/**
 * A registered image: its Ignition (the only per-image data of any size) and the base file it is
 * derived from. The layout is recomputed only when the base file changes.
 */
public final class RegisteredImage {

    private final String name;
    private final ImageFormat format;
    private final String architecture;
    private final byte[] ignition;
    private final byte[] archive;
    private final Path basePath;
    private final String logName;
    private final BaseImageInspector inspector;
    private volatile ServedImage current;

    RegisteredImage(String name, ImageFormat format, String architecture, byte[] ignition, Path basePath,
                    boolean secretName, BaseImageInspector inspector) throws InvalidBaseImageException, EmbedAreaTooSmallException {
        this.name = name;
        this.format = format;
        this.architecture = architecture;
        this.ignition = ignition.clone();
        this.archive = format == null ? new byte[0] : IgnitionArchive.of(ignition);
        this.basePath = basePath;
        this.logName = secretName && name.length() > 8 ? name.substring(0, 8) + "..." : name;
        this.inspector = inspector;
        this.current = compute(BaseFileState.of(basePath));
    }

    public String name() {
        return name;
    }

    /** null for a plain file (a PXE kernel). */
    public ImageFormat format() {
        return format;
    }

    /** The name as logs may show it: a prefix of a secret name (it is a capability), else the name. */
    public String logName() {
        return logName;
    }

    public String architecture() {
        return architecture;
    }

    public Path basePath() {
        return basePath;
    }

    public byte[] ignition() {
        return ignition.clone();
    }

    /** The image as of the base file's current state (one stat per call). */
    public ServedImage current() throws InvalidBaseImageException, EmbedAreaTooSmallException {
        BaseFileState state = BaseFileState.of(basePath);
        ServedImage served = current;
        if (!served.base().equals(state)) {
            served = compute(state);
            current = served;
        }
        return served;
    }

    private ServedImage compute(BaseFileState state) throws InvalidBaseImageException, EmbedAreaTooSmallException {
        ImageLayout layout = format == null ? ImageLayout.file(state.size())
                : format == ImageFormat.ISO ? ImageLayout.iso(state.size(), inspector.embedArea(state), archive)
                : ImageLayout.initramfs(state.size(), archive);
        return new ServedImage(state, layout, etag(inspector.fingerprint(state)));
    }

    /**
     * Strong ETag from content only (the Ignition archive and the base file's content fingerprint):
     * every replica gives the same image the same ETag, whatever path, inode or mtime its copy of the
     * base file has, and any change of either part gives a new one.
     */
    private String etag(String baseFingerprint) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(archive);
            sha.update((format + "|" + baseFingerprint).getBytes(StandardCharsets.UTF_8));
            return "\"" + HexFormat.of().formatHex(sha.digest(), 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
