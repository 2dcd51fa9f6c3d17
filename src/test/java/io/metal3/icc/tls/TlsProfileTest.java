package io.metal3.icc.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The profiles as openshift/api's TLSProfiles define them (config/v1/types_tlssecurityprofile.go). */
class TlsProfileTest {

    @Test
    void intermediateIsTheDefaultAndMatchesOpenShift() throws Exception {
        TlsProfile p = TlsProfile.of(null, null, null);
        assertEquals("Intermediate", p.name());
        assertEquals("VersionTLS12", p.minVersion());
        assertEquals(List.of("TLSv1.2", "TLSv1.3"), p.protocols());
        assertEquals(List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
                p.ciphers());
        assertEquals("TLSv1.2,TLSv1.3", p.libertyProtocols());
        assertTrue(p.libertyCiphers().startsWith("TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 "));
    }

    @Test
    void modernIsTls13Only() throws Exception {
        TlsProfile p = TlsProfile.of("modern", "", "");
        assertEquals("Modern", p.name());
        assertEquals(List.of("TLSv1.3"), p.protocols());
        assertEquals(List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"),
                p.ciphers());
    }

    @Test
    void oldHasTwentyFourCiphersFromTls10() throws Exception {
        TlsProfile p = TlsProfile.of("Old", null, null);
        assertEquals(List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"), p.protocols());
        assertEquals(24, p.ciphers().size());
        assertEquals("TLS_RSA_WITH_3DES_EDE_CBC_SHA", p.ciphers().get(23));
        assertTrue(p.ciphers().contains("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"));
    }

    @Test
    void customTakesOpenSslAndIanaNamesAndBothVersionSpellings() throws Exception {
        TlsProfile p = TlsProfile.of("Custom", "VersionTLS12",
                "ECDHE-RSA-AES128-GCM-SHA256, tls_ecdhe_rsa_with_aes_256_gcm_sha384:TLS_AES_128_GCM_SHA256");
        assertEquals(List.of("TLSv1.2", "TLSv1.3"), p.protocols());
        assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_AES_128_GCM_SHA256"), p.ciphers());
        assertEquals("VersionTLS13", TlsProfile.of("custom", "TLS13", "TLS_AES_256_GCM_SHA384").minVersion());
        assertEquals(1,
                TlsProfile.of("Custom", "VersionTLS12", "ECDHE-RSA-AES128-GCM-SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
                        .ciphers().size(), "duplicates removed");
    }

    @Test
    void customFillsWhatIsLeftOutFromIntermediate() throws Exception {
        TlsProfile intermediate = TlsProfile.of("Intermediate", null, null);
        TlsProfile versionOnly = TlsProfile.of("Custom", "VersionTLS13", null);
        assertEquals(List.of("TLSv1.3"), versionOnly.protocols());
        assertEquals(intermediate.ciphers(), versionOnly.ciphers());
        TlsProfile ciphersOnly = TlsProfile.of("Custom", null, "ECDHE-RSA-AES128-GCM-SHA256");
        assertEquals(intermediate.protocols(), ciphersOnly.protocols());
        assertEquals("Custom", TlsProfile.of(null, "TLS13", null).name(), "a version alone, as the operators' flags give it");
    }

    @Test
    void badInputIsRefusedNamingIt() {
        assertMessage("'Strict' is not one of", () -> TlsProfile.of("Strict", null, null));
        assertMessage("unknown TLS cipher suite 'RC4-MD5'", () -> TlsProfile.of("Custom", "VersionTLS12", "RC4-MD5"));
        assertMessage("TLS_MIN_VERSION 'VersionTLS14'", () -> TlsProfile.of("Custom", "VersionTLS14", "TLS_AES_128_GCM_SHA256"));
        assertMessage("needs a TLS 1.3 cipher", () -> TlsProfile.of("Custom", "VersionTLS13", "ECDHE-RSA-AES128-GCM-SHA256"));
        assertMessage("are for TLS_SECURITY_PROFILE=Custom", () -> TlsProfile.of("Modern", "VersionTLS12", null));
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable e) {
        TlsProfile.InvalidProfileException x = assertThrows(TlsProfile.InvalidProfileException.class, e);
        assertTrue(x.getMessage().contains(part), x.getMessage());
    }
}
