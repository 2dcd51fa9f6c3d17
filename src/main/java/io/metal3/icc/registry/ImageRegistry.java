package io.metal3.icc.registry;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.metal3.icc.image.BaseImageInspector;
import io.metal3.icc.image.EmbedAreaTooSmallException;
import io.metal3.icc.image.ImageFormat;
import io.metal3.icc.image.InvalidBaseImageException;

/** The images this server serves, by name. Thread-safe; holds only Ignition-sized data per image. */
@ApplicationScoped
public class ImageRegistry {

    private final ConcurrentMap<String, RegisteredImage> images = new ConcurrentHashMap<>();
    private final BaseImageInspector inspector = new BaseImageInspector();

    /**
     * Registers (or replaces) {@code name}. The layout is computed now, so a bad base image or an
     * Ignition too large for the embed area fails here, not when a host boots.
     */
    public RegisteredImage register(String name, ImageFormat format, String architecture, byte[] ignition,
                                    Path baseFile) throws InvalidBaseImageException, EmbedAreaTooSmallException {
        return register(name, format, architecture, ignition, baseFile, true);
    }

    /** @param secretName the name is a capability (it gives the host's Ignition): logs show a prefix only */
    public RegisteredImage register(String name, ImageFormat format, String architecture, byte[] ignition,
                                    Path baseFile, boolean secretName) throws InvalidBaseImageException, EmbedAreaTooSmallException {
        RegisteredImage image = new RegisteredImage(name, format, architecture, ignition, baseFile, secretName, inspector);
        images.put(name, image);
        return image;
    }

    /**
     * Serves a base file as it is under a fixed name (the PXE kernel of an architecture): shared by
     * every image that boots it, so registering it again with the same file keeps the entry.
     */
    public RegisteredImage registerFile(String name, String architecture, Path file) throws InvalidBaseImageException {
        RegisteredImage known = images.get(name);
        if (known != null && known.format() == null && known.basePath().equals(file)) {
            return known;
        }
        try {
            RegisteredImage image = new RegisteredImage(name, null, architecture, new byte[0], file, false, inspector);
            images.put(name, image);
            return image;
        } catch (EmbedAreaTooSmallException e) {
            throw new IllegalStateException("a plain file has no embed area", e);
        }
    }

    public Optional<RegisteredImage> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(images.get(name));
    }

    public boolean remove(String name) {
        return images.remove(name) != null;
    }

    public int size() {
        return images.size();
    }

    /** {@code <publish>/<name>}: the publish address' path is kept (upstream replaced it). */
    public static URI publishUrl(URI publishAddr, String name) {
        String base = publishAddr.toString();
        return URI.create(base.endsWith("/") ? base + name : base + "/" + name);
    }
}
