package io.metal3.icc.nmstate;

import java.util.ArrayList;
import java.util.List;

/**
 * An interface's {@code 802.1x:} settings, written to [802-1x]: identity, EAP methods, CA and
 * client certificates, private key and its password, phase-2 authentication, password. Passwords
 * are written to the keyfile only and never quoted in a message.
 */
record Ieee8021x(String identity, List<String> eap, String privateKey, String clientCert, String caCert,
                 String privateKeyPassword, String phase2Auth, String password) {

    static Ieee8021x parse(Object raw, Fields.Errors e) throws NmstateException {
        Fields f = Fields.of(raw, "Ieee8021XConfig", e);
        String identity = Text.checked(f.string("identity"), "802.1x identity");
        List<String> eap = f.stringList("eap-methods");
        if (eap != null) {
            List<String> checked = new ArrayList<>();
            for (String m : eap) {
                checked.add(Text.checked(m, "802.1x eap method"));
            }
            eap = checked;
        }
        String key = Text.checked(f.string("private-key"), "802.1x private-key");
        String cert = Text.checked(f.string("client-cert"), "802.1x client-cert");
        String ca = Text.checked(f.string("ca-cert"), "802.1x ca-cert");
        String keyPassword = secret(f.secretString("private-key-password"), "private-key-password");
        String phase2 = Text.checked(f.string("phase2-auth"), "802.1x phase2-auth");
        String password = secret(f.secretString("password"), "password");
        return new Ieee8021x(identity, eap, key, cert, ca, keyPassword, phase2, password);
    }

    private static String secret(String v, String field) throws NmstateException {
        if (v != null && v.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw NmstateException.invalid("Invalid 802.1x " + field
                    + ": control characters are not allowed (value not shown)");
        }
        return v;
    }

    /**
     * nmstate hands certificate and key paths over as {@code file://PATH} blobs and its keyfile
     * writer prints them back as the path.
     */
    void write(NmConnection c) {
        c.section("802-1x");
        c.set("802-1x", "identity", identity);
        c.set("802-1x", "private-key", path(privateKey));
        if (eap != null) {
            c.set("802-1x", "eap", eap.isEmpty() ? "" : String.join(";", eap) + ";");
        }
        c.set("802-1x", "client-cert", path(clientCert));
        c.set("802-1x", "ca-cert", path(caCert));
        c.set("802-1x", "private-key-password", privateKeyPassword);
        c.set("802-1x", "phase2-auth", phase2Auth);
        c.set("802-1x", "password", password);
    }

    private static String path(String p) {
        if (p == null) {
            return null;
        }
        int nul = p.indexOf('\0');
        return nul >= 0 ? p.substring(0, nul) : p;
    }

    @Override
    public String toString() {
        return "Ieee8021x[identity=" + identity + ", secrets not shown]";
    }
}
