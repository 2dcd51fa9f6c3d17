package io.metal3.icc.hostimage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** upstream's TestStreamArchSpecificURL and TestStreamFromImageData, and our stream-name check. */
class StreamsTest {

    static final String HOST = "x86_64";
    static final String BASE = "http://host:8080/images/ironic-python-agent.rootfs";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "host arch, no stream|" + BASE + "|''|x86_64|http://host:8080/images/ironic-python-agent.rootfs",
            "empty arch treated as host|" + BASE + "|''|''|http://host:8080/images/ironic-python-agent.rootfs",
            "non-host arch, no stream|" + BASE + "|''|aarch64|http://host:8080/images/ironic-python-agent_aarch64.rootfs",
            "host arch with stream|" + BASE + "|rhel-10|x86_64|http://host:8080/images/ironic-python-agent-rhel-10.rootfs",
            "non-host arch with stream|" + BASE + "|rhel-10|aarch64|http://host:8080/images/ironic-python-agent-rhel-10_aarch64.rootfs",
            "empty arch with stream treated as host|" + BASE + "|rhel-10|''|http://host:8080/images/ironic-python-agent-rhel-10.rootfs",
            "no extension|http://host:8080/images/rootfs|rhel-10|aarch64|http://host:8080/images/rootfs-rhel-10_aarch64",
            "invalid URL returned as-is|://not-a-url|rhel-10|aarch64|://not-a-url",
            "path only base|http://host/agent.img|rhel-9|x86_64|http://host/agent-rhel-9.img",
            "dot in a directory, not the file|http://host/v1.2/rootfs|''|s390x|http://host/v1.2/rootfs_s390x",
            "query and escapes kept|http://host/a%20b/ipa.rootfs?x=1|''|s390x|http://host/a%20b/ipa_s390x.rootfs?x=1",
    })
    void streamArchSpecificUrl(String name, String base, String stream, String arch, String expected) {
        assertEquals(expected, Streams.rootfsUrl(base, stream, arch, HOST));
    }

    @Test
    void streamNamesAreFileNameParts() {
        assertTrue(Streams.valid(""));
        assertTrue(Streams.valid("rhel-10"));
        assertTrue(Streams.valid("rhcos-4.19"));
        for (String bad : new String[] {"../x", "a/b", "-x", "a..b", "a b", "x".repeat(70)}) {
            assertFalse(Streams.valid(bad), bad);
        }
    }
}
