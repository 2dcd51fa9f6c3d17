package io.metal3.icc.controller;

import java.util.List;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.Condition;
import io.metal3.icc.crd.PreprovisioningImageStatus;

/** Semantic status equality (upstream's check was broken and wrote the status on every reconcile). */
final class StatusComparison {

    private StatusComparison() {
    }

    static boolean same(PreprovisioningImageStatus a, PreprovisioningImageStatus b) {
        return nz(a.getImageUrl()).equals(nz(b.getImageUrl()))
                && nz(a.getKernelUrl()).equals(nz(b.getKernelUrl()))
                && nz(a.getExtraKernelParams()).equals(nz(b.getExtraKernelParams()))
                && nz(a.getFormat()).equals(nz(b.getFormat()))
                && a.getArchitecture().equals(b.getArchitecture())
                && a.getNetworkData().equals(b.getNetworkData())
                && sameConditions(a.getConditions(), b.getConditions());
    }

    /** lastTransitionTime only moves when status flips, so it is covered by status. */
    private static boolean sameConditions(List<Condition> a, List<Condition> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (Condition x : a) {
            Condition y = Conditions.find(b, x.getType()).orElse(null);
            if (y == null || !nz(x.getStatus()).equals(nz(y.getStatus())) || !nz(x.getReason()).equals(nz(y.getReason()))
                    || !nz(x.getMessage()).equals(nz(y.getMessage()))
                    || !Objects.equals(x.getObservedGeneration(), y.getObservedGeneration())) {
                return false;
            }
        }
        return true;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
