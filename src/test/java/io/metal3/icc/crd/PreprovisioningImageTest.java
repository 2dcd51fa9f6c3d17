package io.metal3.icc.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ObjectMeta;

import org.junit.jupiter.api.Test;

class PreprovisioningImageTest {

    static PreprovisioningImage ppi(Map<String, String> labels, boolean metadata) {
        PreprovisioningImage p = new PreprovisioningImage();
        if (metadata) {
            ObjectMeta m = new ObjectMeta();
            m.setLabels(labels);
            p.setMetadata(m);
        }
        return p;
    }

    @Test
    void streamFromImageData() {
        assertEquals("", ppi(null, false).stream(), "nil metadata");
        assertEquals("", ppi(null, true).stream(), "nil labels");
        assertEquals("", ppi(Map.of("other-label", "value"), true).stream(), "labels without stream key");
        assertEquals("rhel-10", ppi(Map.of(PreprovisioningImage.STREAM_LABEL, "rhel-10"), true).stream(), "stream label present");
        assertEquals("", ppi(new HashMap<>(Map.of(PreprovisioningImage.STREAM_LABEL, "")), true).stream(), "empty stream label");
    }
}
