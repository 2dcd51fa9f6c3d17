package io.metal3.icc.image;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Locates the embed area of each base ISO once per version of the file, shared by all images. */
public final class BaseImageInspector {

    private final Map<BaseFileState, EmbedArea> areas = new ConcurrentHashMap<>();

    public EmbedArea embedArea(BaseFileState base) throws InvalidBaseImageException {
        EmbedArea known = areas.get(base);
        if (known != null) {
            return known;
        }
        EmbedArea area;
        try (FileChannel ch = FileChannel.open(base.path(), StandardOpenOption.READ)) {
            area = IsoInspector.locateIgnitionArea(ch, base.size());
        } catch (IOException e) {
            throw new InvalidBaseImageException("cannot open base ISO " + base.path() + ": " + e, e);
        }
        // Drop entries of older versions of the same path so the map cannot grow without bound.
        areas.keySet().removeIf(k -> k.path().equals(base.path()));
        areas.put(base, area);
        return area;
    }
}
