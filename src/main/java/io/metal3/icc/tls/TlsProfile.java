package io.metal3.icc.tls;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The TLS versions and cipher suites the image endpoint offers, from an OpenShift TLS security
 * profile (APIServer {@code tlsSecurityProfile}): Old, Intermediate, Modern exactly as
 * openshift/api defines them, or Custom with a minimum version and ciphers. Cipher names may be
 * OpenSSL's (as the profiles write them) or IANA's; they are given to the JDK under IANA names.
 * Pure: the launcher's setup and the settings both use it.
 */
public record TlsProfile(String name, String minVersion, List<String> protocols, List<String> ciphers) {

    /** An unusable profile, version or cipher; the message names it. */
    public static final class InvalidProfileException extends Exception {
        public InvalidProfileException(String message) {
            super(message);
        }
    }

    private static final List<String> TLS13 = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");
    private static final List<String> INTERMEDIATE12 = List.of("ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
            "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305",
            "ECDHE-RSA-CHACHA20-POLY1305");
    private static final List<String> OLD12 = List.of("ECDHE-ECDSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA256",
            "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA384",
            "ECDHE-ECDSA-AES256-SHA", "ECDHE-RSA-AES256-SHA", "AES128-GCM-SHA256", "AES256-GCM-SHA384", "AES128-SHA256",
            "AES256-SHA256", "AES128-SHA", "AES256-SHA", "DES-CBC3-SHA");

    /** OpenSSL name → IANA name, for every cipher the profiles use and their common relatives. */
    static final Map<String, String> OPENSSL_TO_IANA = new LinkedHashMap<>();

    static {
        for (String c : TLS13) {
            OPENSSL_TO_IANA.put(c, c);
        }
        String[][] pairs = {
            {"ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"},
            {"ECDHE-RSA-AES128-GCM-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"},
            {"ECDHE-ECDSA-AES256-GCM-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"},
            {"ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"},
            {"ECDHE-ECDSA-CHACHA20-POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"},
            {"ECDHE-RSA-CHACHA20-POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
            {"ECDHE-ECDSA-AES128-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"},
            {"ECDHE-RSA-AES128-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"},
            {"ECDHE-ECDSA-AES128-SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"},
            {"ECDHE-RSA-AES128-SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"},
            {"ECDHE-ECDSA-AES256-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"},
            {"ECDHE-RSA-AES256-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"},
            {"ECDHE-ECDSA-AES256-SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"},
            {"ECDHE-RSA-AES256-SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"},
            {"AES128-GCM-SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256"},
            {"AES256-GCM-SHA384", "TLS_RSA_WITH_AES_256_GCM_SHA384"},
            {"AES128-SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA256"},
            {"AES256-SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA256"},
            {"AES128-SHA", "TLS_RSA_WITH_AES_128_CBC_SHA"},
            {"AES256-SHA", "TLS_RSA_WITH_AES_256_CBC_SHA"},
            {"DES-CBC3-SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA"},
            {"ECDHE-RSA-DES-CBC3-SHA", "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"},
            {"DHE-RSA-AES128-GCM-SHA256", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"},
            {"DHE-RSA-AES256-GCM-SHA384", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"},
            {"DHE-RSA-CHACHA20-POLY1305", "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
            {"DHE-RSA-AES128-SHA256", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256"},
            {"DHE-RSA-AES256-SHA256", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256"},
        };
        for (String[] p : pairs) {
            OPENSSL_TO_IANA.put(p[0], p[1]);
        }
    }

    private static final List<String> VERSIONS = List.of("VersionTLS10", "VersionTLS11", "VersionTLS12", "VersionTLS13");
    private static final List<String> PROTOCOLS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    /**
     * @param profile    Old, Intermediate (the default, as OpenShift's), Modern or Custom; any case; Custom when
     *                   left out but a version or ciphers are given
     * @param minVersion Custom only: VersionTLS10 … VersionTLS13 (or TLS10 … TLS13, as the Metal³ operators' flags);
     *                   VersionTLS12 when left out
     * @param ciphers    Custom only: comma- or colon-separated OpenSSL or IANA names; Intermediate's when left out
     */
    public static TlsProfile of(String profile, String minVersion, String ciphers) throws InvalidProfileException {
        boolean givenVersion = minVersion != null && !minVersion.isBlank();
        boolean givenCiphers = ciphers != null && !ciphers.isBlank();
        boolean noProfile = profile == null || profile.isBlank();
        String p = noProfile ? (givenVersion || givenCiphers ? "Custom" : "Intermediate") : profile.strip();
        boolean custom = p.equalsIgnoreCase("Custom");
        if (!custom && (givenVersion || givenCiphers)) {
            throw new InvalidProfileException("TLS_MIN_VERSION and TLS_CIPHER_SUITES are for TLS_SECURITY_PROFILE=Custom;"
                    + " the " + p + " profile fixes both: unset them, or set the profile to Custom");
        }
        return switch (p.toLowerCase(Locale.ROOT)) {
            case "old" -> build("Old", "VersionTLS10", concat(TLS13, INTERMEDIATE12, OLD12));
            case "intermediate" -> build("Intermediate", "VersionTLS12", concat(TLS13, INTERMEDIATE12));
            case "modern" -> build("Modern", "VersionTLS13", TLS13);
            case "custom" -> {
                // As the Metal³ operators' --tls-min-version and --tls-cipher-suites: either may be left out,
                // the other then comes from the Intermediate profile.
                String version = givenVersion ? version(minVersion) : "VersionTLS12";
                List<String> names = givenCiphers ? List.of(ciphers.strip().split("\\s*[,:]\\s*"))
                        : concat(TLS13, INTERMEDIATE12);
                yield build("Custom", version, names);
            }
            default -> throw new InvalidProfileException("TLS_SECURITY_PROFILE '" + p
                    + "' is not one of Old, Intermediate, Modern, Custom");
        };
    }

    private static String version(String v) throws InvalidProfileException {
        String s = v.strip();
        String full = s.startsWith("Version") ? s : "Version" + s;
        for (String known : VERSIONS) {
            if (known.equalsIgnoreCase(full)) {
                return known;
            }
        }
        throw new InvalidProfileException("TLS_MIN_VERSION '" + s + "' is not one of " + VERSIONS);
    }

    private static TlsProfile build(String name, String minVersion, List<String> names) throws InvalidProfileException {
        List<String> iana = new ArrayList<>();
        for (String n : names) {
            String c = iana(n);
            if (!iana.contains(c)) {
                iana.add(c);
            }
        }
        List<String> protocols = PROTOCOLS.subList(VERSIONS.indexOf(minVersion), PROTOCOLS.size());
        if (minVersion.equals("VersionTLS13") && iana.stream().noneMatch(TLS13::contains)) {
            throw new InvalidProfileException("TLS_MIN_VERSION=VersionTLS13 needs a TLS 1.3 cipher in TLS_CIPHER_SUITES"
                    + " (" + String.join(", ", TLS13) + ")");
        }
        return new TlsProfile(name, minVersion, List.copyOf(protocols), List.copyOf(iana));
    }

    /** The IANA name of an OpenSSL or IANA cipher name. */
    static String iana(String name) throws InvalidProfileException {
        String n = name.strip();
        String mapped = OPENSSL_TO_IANA.get(n);
        if (mapped != null) {
            return mapped;
        }
        String upper = n.toUpperCase(Locale.ROOT);
        if (OPENSSL_TO_IANA.containsValue(upper)) {
            return upper;
        }
        throw new InvalidProfileException("unknown TLS cipher suite '" + n + "' in TLS_CIPHER_SUITES: use OpenSSL names"
                + " (ECDHE-RSA-AES128-GCM-SHA256) or IANA names (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)");
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> out = new ArrayList<>();
        for (List<String> l : lists) {
            out.addAll(l);
        }
        return out;
    }

    /** Liberty's {@code ssl} sslProtocol attribute: the protocols, comma-separated. */
    public String libertyProtocols() {
        return String.join(",", protocols);
    }

    /** Liberty's {@code ssl} enabledCiphers attribute: IANA names, space-separated. */
    public String libertyCiphers() {
        return String.join(" ", ciphers);
    }
}
