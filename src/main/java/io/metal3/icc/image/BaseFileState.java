package io.metal3.icc.image;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What identifies one version of a base file: a replaced or rewritten file gets a new state, which
 * invalidates layouts and ETags computed for the old one. {@code fileKey} is the file system's
 * identity of the file (device and inode on Linux; null where there is none), compared with equals.
 */
public record BaseFileState(Path path, long size, long modifiedMillis, Object fileKey) {

    /** Stats {@code path}; a block device's size comes from the device, not from stat. */
    public static BaseFileState of(Path path) throws InvalidBaseImageException {
        try {
            BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
            if (attrs.isDirectory()) {
                throw new InvalidBaseImageException("base image " + path + " is a directory, not a file");
            }
            long size = attrs.isRegularFile() ? attrs.size() : deviceSize(path);
            return new BaseFileState(path, size, attrs.lastModifiedTime().toMillis(), attrs.fileKey());
        } catch (NoSuchFileException e) {
            throw new InvalidBaseImageException("base image " + path + " does not exist", e);
        } catch (IOException e) {
            throw new InvalidBaseImageException("cannot read base image " + path + ": " + e, e);
        }
    }

    private static long deviceSize(Path path) throws IOException {
        // OpenJDK asks the kernel (BLKGETSIZE64) for block devices.
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return ch.size();
        }
    }
}
