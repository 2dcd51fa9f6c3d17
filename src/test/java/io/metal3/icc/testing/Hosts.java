package io.metal3.icc.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import io.metal3.icc.crd.PreprovisioningImage;
import io.metal3.icc.crd.PreprovisioningImageSpec;

/** What Metal³ creates for a host: its network Secret ({@code <name>-net}) and its PreprovisioningImage. */
public final class Hosts {

    private Hosts() {
    }

    public static void create(KubernetesClient client, String namespace, String name, String format, String nmstate) {
        client.resource(new SecretBuilder().withNewMetadata().withNamespace(namespace).withName(name + "-net").endMetadata()
                .addToData("nmstate", Base64.getEncoder().encodeToString(nmstate.getBytes(StandardCharsets.UTF_8)))
                .build()).create();
        PreprovisioningImage p = new PreprovisioningImage();
        p.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
        PreprovisioningImageSpec spec = new PreprovisioningImageSpec();
        spec.setNetworkDataName(name + "-net");
        spec.setAcceptFormats(new ArrayList<>(List.of(format)));
        p.setSpec(spec);
        client.resource(p).create();
    }
}
