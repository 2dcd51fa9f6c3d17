package io.metal3.icc.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImageResourceTest {

    @Test
    void onlyASingleSegmentNamesAnImage() {
        assertTrue(ImageResource.isSingleSegment("/worker-0.iso"));
        assertTrue(ImageResource.isSingleSegment("/worker%2D0.iso"));
        for (String raw : new String[] {null, "", "/", "worker-0.iso", "/worker-0.iso/", "/worker-0.iso;v=1",
                "/a/worker-0.iso", "//worker-0.iso", "/x/../worker-0.iso"}) {
            assertFalse(ImageResource.isSingleSegment(raw), String.valueOf(raw));
        }
    }

    @Test
    void capabilityNamesAreShortenedInTheLog() {
        assertEquals("worker-0.iso", ImageResource.loggable("worker-0.iso"));
        assertEquals("0123abcd...", ImageResource.loggable("0123abcdef0123abcdef"));
        assertEquals("invalid", ImageResource.loggable("invalid"));
        assertEquals("-", ImageResource.loggable(null));
    }
}
