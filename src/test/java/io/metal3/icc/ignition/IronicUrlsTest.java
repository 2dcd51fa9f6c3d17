package io.metal3.icc.ignition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IronicUrlsTest {

    /** Upstream TestProcessURLs (default port 6385, no path), plus §5.4's verified examples. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "empty||''",
            "single|http://192.0.2.1|http://192.0.2.1:6385",
            "single-with-port|http://192.0.2.1:42|http://192.0.2.1:42",
            "single-v6-tls|https://[2001:db8::1]|https://[2001:db8::1]:6385",
            "single-v6-with-port|https://[2001:db8::1]:42|https://[2001:db8::1]:42",
            "dual|http://192.0.2.1,https://[2001:db8::1]|http://192.0.2.1:6385,https://[2001:db8::1]:6385",
            "dual-with-port|http://192.0.2.1:42,https://[2001:db8::1]:43|http://192.0.2.1:42,https://[2001:db8::1]:43",
            "path|http://example.com/foo|http://example.com:6385/foo",
            "empty-items|',http://a,'|http://a:6385",
            "fixed: spaces after commas are trimmed, not dropped|'http://a, http://b'|http://a:6385,http://b:6385",
            "query kept|https://a/x?y=1|https://a:6385/x?y=1",
    })
    void ironic(String name, String in, String expected) throws Exception {
        assertEquals(expected, IronicUrls.process("IRONIC_BASE_URL", in == null ? "" : in, "", 6385));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "path|http://example.com/bar|http://example.com:5050/bar/v1/continue",
            "fixed: no double slash|http://192.0.2.1/|http://192.0.2.1:5050/v1/continue",
            "already there|http://192.0.2.1:5050/v1/continue|http://192.0.2.1:5050/v1/continue",
            "bare host|http://inspector.example.com|http://inspector.example.com:5050/v1/continue",
    })
    void inspector(String name, String in, String expected) throws Exception {
        assertEquals(expected, IronicUrls.process("IRONIC_INSPECTOR_BASE_URL", in, "/v1/continue", 5050));
    }

    /** Upstream turned 192.0.2.1 into //:6385/192.0.2.1 and dropped unbracketed IPv6 silently. */
    @ParameterizedTest
    @CsvSource({"192.0.2.1", "ftp://x", "http://2001:db8::1", "http://[::1", "'http:// a'"})
    void garbageIsAnError(String in) {
        var e = assertThrows(IgnitionBuildException.class, () -> IronicUrls.process("IRONIC_BASE_URL", in, "", 6385));
        assertTrue(e.getMessage().startsWith("IRONIC_BASE_URL entry '"), e.getMessage());
    }
}
