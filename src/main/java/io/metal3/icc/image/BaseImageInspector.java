package io.metal3.icc.image;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Locates the embed area of each base ISO, and fingerprints each base file's content, once per
 * version of the file, shared by all images.
 */
public final class BaseImageInspector {

    private final Map<BaseFileState, EmbedArea> areas = new ConcurrentHashMap<>();
    private final Map<BaseFileState, String> fingerprints = new ConcurrentHashMap<>();

    /** {@link BaseFingerprint} of this version of the file (read once; concurrent callers wait). */
    public String fingerprint(BaseFileState base) throws InvalidBaseImageException {
        String known = fingerprints.get(base);
        if (known != null) {
            return known;
        }
        synchronized (fingerprints) {
            known = fingerprints.get(base);
            if (known != null) {
                return known;
            }
            String fp;
            try {
                fp = BaseFingerprint.of(base.path(), base.size());
            } catch (IOException e) {
                throw new InvalidBaseImageException("cannot read base image " + base.path() + ": " + e.getMessage(), e);
            }
            fingerprints.keySet().removeIf(k -> k.path().equals(base.path()));
            fingerprints.put(base, fp);
            return fp;
        }
    }

    public EmbedArea embedArea(BaseFileState base) throws InvalidBaseImageException {
        EmbedArea known = areas.get(base);
        if (known != null) {
            return known;
        }
        EmbedArea area;
        try (FileChannel ch = FileChannel.open(base.path(), StandardOpenOption.READ)) {
            area = IsoInspector.locateIgnitionArea(ch, base.size());
        } catch (InvalidBaseImageException e) {
            // Name the file: an operator with several architectures and streams needs to know which.
            throw new InvalidBaseImageException(e.getMessage().replaceFirst("^base ISO", "base ISO " + base.path()), e);
        } catch (IOException e) {
            throw new InvalidBaseImageException("cannot open base ISO " + base.path() + ": " + e, e);
        }
        // Drop entries of older versions of the same path so the map cannot grow without bound.
        areas.keySet().removeIf(k -> k.path().equals(base.path()));
        areas.put(base, area);
        return area;
    }
}
