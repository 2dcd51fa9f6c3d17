package io.metal3.icc.crd;

import java.util.Map;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** metal3.io/v1alpha1 PreprovisioningImage, as baremetal-operator defines it. */
@Group("metal3.io")
@Version("v1alpha1")
@Kind("PreprovisioningImage")
@Plural("preprovisioningimages")
@Singular("preprovisioningimage")
public class PreprovisioningImage extends CustomResource<PreprovisioningImageSpec, PreprovisioningImageStatus>
        implements Namespaced {

    public static final String FINALIZER = "preprovisioningimage.metal3.io";
    /** PPIs of assisted-installer InfraEnvs belong to assisted-service, not to us. */
    public static final String INFRAENV_LABEL = "infraenvs.agent-install.openshift.io";
    /** Selects a CoreOS stream's base images and rootfs. */
    public static final String STREAM_LABEL = "coreos.openshift.io/stream";

    /** The spec; an object without one asks for the defaults. Never null. */
    public PreprovisioningImageSpec spec() {
        return getSpec() == null ? new PreprovisioningImageSpec() : getSpec();
    }

    /** The status; empty before the first write. Never null. */
    public PreprovisioningImageStatus status() {
        return getStatus() == null ? new PreprovisioningImageStatus() : getStatus();
    }

    /** The CoreOS stream asked for; "" for the default (no or empty label). */
    public String stream() {
        Map<String, String> labels = getMetadata() == null ? null : getMetadata().getLabels();
        String s = labels == null ? null : labels.get(STREAM_LABEL);
        return s == null ? "" : s;
    }
}
