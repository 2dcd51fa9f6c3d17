package io.metal3.icc.nmstate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** 802.1X passwords, the MACsec CAK and IPsec pre-shared keys reach the keyfile only, never a message. */
class SecretsTest {

    static String error(String yaml) {
        return assertThrows(NmstateException.class,
                () -> NmstateConverter.convert(yaml.getBytes(StandardCharsets.UTF_8))).getMessage();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "802.1x password of the wrong type|  802.1x: {identity: u, eap-methods: [peap], password: 918273645}",
            "802.1x password with a newline|  802.1x: {identity: u, eap-methods: [peap], password: \"918273645\\nx=y\"}",
            "802.1x key password of the wrong type|  802.1x: {identity: u, private-key-password: [918273645]}",
            "IPsec PSK of the wrong type|  libreswan: {right: 192.0.2.1, psk: 918273645}",
            "IPsec PSK with a newline|  libreswan: {right: 192.0.2.1, psk: \"918273645\\nx=y\"}",
            "MACsec CAK of the wrong type|  macsec: {encrypt: true, base-iface: eth1, mka-cak: 918273645, port: 0, validation: strict, send-sci: true}",
            "MACsec CAK of the wrong length|  macsec: {encrypt: true, base-iface: eth1, mka-cak: '918273645', mka-ckn: 'aabb', port: 0, validation: strict, send-sci: true}",
    })
    void secretsStayOutOfMessages(String name, String section) {
        String type = section.contains("libreswan") ? "ipsec" : section.contains("macsec") ? "macsec" : "ethernet";
        String m = error("interfaces:\n- name: x0\n  type: " + type + "\n" + "  " + section + "\n");
        assertFalse(m.contains("918273645"), m);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "802.1x|type: ethernet\\n  802.1x: {identity: u, eap-methods: [peap], password: s3cr3t}|[802-1x]|password=s3cr3t",
            "ipsec|type: ipsec\\n  libreswan: {right: 192.0.2.1, psk: s3cr3t}|[vpn-secrets]|pskvalue=s3cr3t",
    })
    void secretsReachTheKeyfile(String name, String iface, String section, String line) throws Exception {
        String k = NmstateConverter.convert(("interfaces:\n- name: x0\n  " + iface.replace("\\n", "\n") + "\n")
                .getBytes(StandardCharsets.UTF_8)).get(0).content();
        assertTrue(k.contains(section + "\n") && k.contains("\n" + line + "\n"), k);
    }
}
