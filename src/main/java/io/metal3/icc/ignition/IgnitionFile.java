package io.metal3.icc.ignition;

/**
 * One {@code storage.files} entry. {@code mode} and {@code overwrite} may be null (left to
 * Ignition's defaults); an {@code append} entry adds its source to the existing file.
 */
record IgnitionFile(String path, Integer mode, Boolean overwrite, String source, boolean append) {

    static IgnitionFile contents(String path, int mode, boolean overwrite, String source) {
        return new IgnitionFile(path, mode, overwrite, source, false);
    }

    static IgnitionFile append(String path, int mode, String source) {
        return new IgnitionFile(path, mode, null, source, true);
    }
}
