package io.metal3.icc.registry;

import io.metal3.icc.image.BaseFileState;
import io.metal3.icc.image.ImageLayout;

/** One image as it is served now: its layout over a given version of the base file, and its ETag. */
public record ServedImage(BaseFileState base, ImageLayout layout, String etag) {
}
