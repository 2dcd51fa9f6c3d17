package io.metal3.icc.nmstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Our own cases beside nmstate's goldens: messages for invalid/unsupported input, parser corners. */
class NmstateConverterTest {

    static List<NetworkKeyfile> convert(String yaml) throws NmstateException {
        return NmstateConverter.convert(yaml.getBytes(StandardCharsets.UTF_8));
    }

    static String error(String yaml) {
        return assertThrows(NmstateException.class, () -> convert(yaml)).getMessage();
    }

    @Test
    void macAddressIsAStringNotABase60Number() throws Exception {
        List<NetworkKeyfile> files = convert("""
                interfaces:
                - name: eno1
                  type: ethernet
                  mac-address: 52:54:00:12:34:56
                  ipv4: {enabled: true, dhcp: true}
                """);
        assertTrue(files.get(0).content().contains("\ncloned-mac-address=52:54:00:12:34:56\n"), files.get(0).content());
    }

    @Test
    void uuidsAreNmstates() {
        assertEquals("0523c0a1-5f5e-5603-bcf2-68155d5d322e", Uuids.v5("ethernet://eth1").toString());
    }

    @Test
    void ipv6IsPrintedCompressed() {
        assertEquals("2001:db8::1", IpAddress.parse("2001:0DB8:0000:0000:0000:0000:0000:0001").toString());
        assertEquals("::", IpAddress.parse("::").toString());
        assertEquals("2001:db8:0:1::1", IpAddress.parse("2001:db8:0:1:0:0:0:1").toString());
        assertEquals("1:0:1:0:1:0:1:0", IpAddress.parse("1:0:1:0:1:0:1:0").toString());
        assertEquals(null, IpAddress.parse("example.com"), "names are never resolved");
        assertEquals(null, IpAddress.parse("192.0.2.256"));
        assertEquals(null, IpAddress.parse("192.0.2.01"));
    }

    @Test
    void emptyDocumentsConfigureNothing() throws Exception {
        assertEquals(List.of(), convert(""));
        assertEquals(List.of(), convert("---\n"));
        assertEquals(List.of(), convert("interfaces:\n"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "misspelt property|'interfaces: [{name: eth0, type: ethernet, ieee-802-1x: {identity: x}}]'|InvalidArgument: Invalid YAML string: interfaces: unknown field `ieee-802-1x`",
            "route property nmstate 2.2 lacks|'routes: {config: [{destination: 0.0.0.0/0, next-hop-interface: eth0, initcwnd: 10}]}'|InvalidArgument: Invalid YAML string: routes.config[0]: unknown field `initcwnd`, expected one of `state`, `destination`",
            "unknown top key|'interfacez: []'|InvalidArgument: Invalid YAML string: unknown field `interfacez`",
            "unknown key of an untyped interface|'interfaces: [{name: eth0, foo: 1}]'|InvalidArgument: Invalid property for ethernet interface: unknown field `foo`",
            "xfrm has no profile in nmstate 2.2|'interfaces: [{name: x0, type: xfrm}]'|NotImplementedError: Does not support iface type: Xfrm yet",
            "missing name|'interfaces: [{type: ethernet}]'|InvalidArgument: Invalid YAML string: interfaces: missing field `name`",
            "bad state|'interfaces: [{name: eth0, state: running}]'|InvalidArgument: Invalid YAML string: interfaces: unknown variant `running`",
            "vlan without base|'interfaces: [{name: eth0.10, type: vlan, vlan: {id: 10}}]'|InvalidArgument: Missing 'vlan.base-iface' for interface 'eth0.10'",
            "bad dns|'dns-resolver: {config: {server: [not-an-ip]}}'|InvalidArgument: Invalid DNS server string not-an-ip",
            "bad bond mode|'interfaces: [{name: bond0, type: bond, link-aggregation: {mode: fancy}}]'|InvalidArgument: Invalid YAML string: interfaces: unknown variant `fancy`",
            "top-level list|'- a\n- b'|InvalidArgument: Invalid YAML string: invalid type: sequence, expected struct NetworkState",
    })
    void messages(String name, String yaml, String prefix) {
        String m = error(yaml.replace("\\n", "\n"));
        assertTrue(m.startsWith(prefix), m);
    }

    @Test
    void invalidAddressesNameTheProblem() {
        assertTrue(error("""
                interfaces:
                - name: eth0
                  ipv4: {enabled: true, address: [{ip: 192.0.2.1, prefix-length: 33}]}
                """).contains("Invalid IPv4 network prefix length '33', should be in the range of 0 to 32"));
        assertTrue(error("""
                interfaces:
                - name: eth0
                  ipv4: {enabled: true, address: [{ip: 2001:db8::1, prefix-length: 64}]}
                """).contains("Got IPv6 address 2001:db8::1/64 in ipv4 config section"));
    }

    @Test
    void yamlErrorsCarryTheirPosition() {
        String m = error("interfaces:\n- name: eth0\n  type: [ethernet\n");
        assertTrue(m.startsWith("InvalidArgument: Invalid YAML string: ") && m.contains(" at line "), m);
    }

    @Test
    void byteOrderMarkIsRefusedWithAHint() {
        assertTrue(error("\uFEFFinterfaces: []").contains("byte-order mark"));
    }

    @Test
    void multipleDocumentsAreRefused() {
        assertTrue(error("interfaces: []\n---\ninterfaces: []\n").contains("more than one document"));
    }

    @Test
    void aliasBombIsRefused() {
        StringBuilder y = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 0; i < 60; i++) {
            y.append("b").append(i).append(": &b").append(i).append(" [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n");
        }
        String m = error(y.toString());
        assertTrue(m.startsWith("InvalidArgument: Invalid YAML string"), m);
    }
}
