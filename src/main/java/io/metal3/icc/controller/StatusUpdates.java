package io.metal3.icc.controller;

import java.time.Instant;
import io.metal3.icc.crd.PreprovisioningImageStatus;
import io.metal3.icc.crd.SecretStatus;
import io.metal3.icc.provider.ImageProvider;

/** upstream's setImage / setUnready / setError, on a copy of the status. */
final class StatusUpdates {

    private StatusUpdates() {
    }

    static PreprovisioningImageStatus setImage(PreprovisioningImageStatus old, Long generation, String url, String format,
                                               SecretStatus networkData, String architecture, String message, Instant now) {
        return setImage(old, generation, ImageProvider.GeneratedImage.of(url), format, networkData, architecture,
                message, now);
    }

    static PreprovisioningImageStatus setImage(PreprovisioningImageStatus old, Long generation,
                                               ImageProvider.GeneratedImage image, String format, SecretStatus networkData,
                                               String architecture, String message, Instant now) {
        PreprovisioningImageStatus s = old.copy();
        String url = image.imageUrl();
        s.setImageUrl(url);
        s.setKernelUrl(image.kernelUrl());
        s.setExtraKernelParams(image.extraKernelParams());
        s.setFormat(format);
        s.setNetworkData(networkData);
        s.setArchitecture(architecture);
        boolean ready = url != null && !url.isEmpty();
        Conditions.set(s.getConditions(), Conditions.READY, ready, Conditions.IMAGE_SUCCESS, message, generation, now);
        Conditions.set(s.getConditions(), Conditions.ERROR, false, Conditions.IMAGE_SUCCESS, "", generation, now);
        return s;
    }

    static PreprovisioningImageStatus setUnready(PreprovisioningImageStatus old, Long generation, String message, Instant now) {
        PreprovisioningImageStatus s = old.copy();
        Conditions.set(s.getConditions(), Conditions.READY, false, Conditions.IMAGE_SUCCESS, message, generation, now);
        return s;
    }

    /** No longer ours to serve: no URL, not Ready. */
    static PreprovisioningImageStatus setReleased(PreprovisioningImageStatus old, Long generation, String message,
                                                  Instant now) {
        PreprovisioningImageStatus s = setUnready(old, generation, message, now);
        s.setImageUrl(null);
        return s;
    }

    static PreprovisioningImageStatus setError(PreprovisioningImageStatus old, Long generation, String reason,
                                               String message, Instant now) {
        PreprovisioningImageStatus s = old.copy();
        s.setImageUrl(null);
        Conditions.set(s.getConditions(), Conditions.READY, false, reason, "", generation, now);
        Conditions.set(s.getConditions(), Conditions.ERROR, true, reason, message, generation, now);
        return s;
    }
}
