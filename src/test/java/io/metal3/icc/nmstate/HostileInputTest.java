package io.metal3.icc.nmstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input gets a clear error naming the field: never wrapped numbers, U+FFFD, or a newline in a keyfile. */
class HostileInputTest {

    static final String ETH = "interfaces:\n- name: eth0\n  type: ethernet\n  state: up\n"
            + "  ipv4: {enabled: true, address: [{ip: 192.0.2.5, prefix-length: 24}]}\n";

    static List<NetworkKeyfile> convert(String yaml) throws NmstateException {
        return NmstateConverterTest.convert(yaml);
    }

    static String error(String yaml) {
        return NmstateConverterTest.error(yaml);
    }

    /** nmstate's own messages (its serde parsers'), checked against nmstatectl gc 2.2.38. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "mtu beyond u64|mtu: 99999999999999999999999|interfaces[0].mtu: JSON number out of range",
            "quoted huge mtu|mtu: '99999999999999999999999'|interfaces: number too large to fit in target type",
            "empty mtu string|mtu: ''|interfaces: cannot parse integer from empty string",
            "negative mtu|mtu: -1|interfaces: invalid type: integer `-1`, expected unsigned integer or string",
            "vlan id beyond u16|type: vlan\\n  vlan: {base-iface: eth1, id: 70000}|interfaces: out of range integral type conversion attempted",
    })
    void integersAreRangeChecked(String name, String line, String expected) {
        String yaml = ETH + "  " + line.replace("\\n", "\n") + "\n";
        String m = error(line.startsWith("type:") ? yaml.replace("  type: ethernet\n", "") : yaml);
        assertTrue(m.startsWith("InvalidArgument: Invalid YAML string: ") && m.contains(expected), m);
    }

    @Test
    void mtuIsWrittenAsNmstateWritesIt() throws Exception {
        // nmstate reads a u64 and writes it as a u32: 2^32 + 1500 becomes 1500, as nmstatectl gc does.
        assertTrue(convert(ETH + "  mtu: 4294968796\n").get(0).content().contains("\nmtu=1500\n"));
    }

    @Test
    void hexAndQuotedNumbersAreNumbers() throws Exception {
        assertTrue(convert(ETH + "  mtu: '0x2328'\n").get(0).content().contains("\nmtu=9000\n"));
        assertTrue(convert(ETH + "  mtu: 4294967295\n").get(0).content().contains("\nmtu=4294967295\n"), "u32 max is fine");
    }

    @Test
    void invalidUtf8IsRefusedNotReplaced() {
        byte[] doc = (ETH + "  description: caf").getBytes(StandardCharsets.UTF_8);
        byte[] bad = java.util.Arrays.copyOf(doc, doc.length + 2);
        bad[doc.length] = (byte) 0xC3; // a lead byte without its continuation
        bad[doc.length + 1] = '\n';
        String m = assertThrows(NmstateException.class, () -> NmstateConverter.convert(bad)).getMessage();
        assertTrue(m.contains("not valid UTF-8 (at byte " + doc.length + ")"), m);
    }

    @Test
    void controlCharactersAreRefusedNamingTheField() {
        String m = error(ETH.replace("name: eth0", "name: \"eth0\\nmethod=manual\""));
        assertTrue(m.contains("Invalid interface name 'eth0\\x0amethod=manual': control character U+000A"), m);
        m = error(ETH + "  profile-name: \"a\\rb\"\n");
        assertTrue(m.contains("Invalid interface eth0 profile-name 'a\\x0db'"), m);
        m = error(ETH + "  description: \"x\\ny\"\n");
        assertTrue(m.contains("Invalid interface eth0 description 'x\\x0ay'"), m);
    }

    @Test
    void controlCharactersInBondOptionsAndSearchDomains() {
        String bond = "interfaces:\n- name: bond0\n  type: bond\n  state: up\n  link-aggregation:\n    mode: active-backup\n"
                + "    options: {primary: \"eth1\\nfoo=bar\"}\n    port: [eth1]\n";
        assertTrue(error(bond).contains("Invalid bond option primary 'eth1\\x0afoo=bar'"), error(bond));
        String dns = ETH + "dns-resolver:\n  config:\n    search: [\"a.example\\u0000\"]\n";
        assertTrue(error(dns).contains("Invalid dns-resolver search domain"), error(dns));
    }

    @Test
    void tabsInDescriptionsStay() throws Exception {
        assertTrue(convert(ETH + "  description: \"a\\tb\"\n").get(0).content().contains("description=a\tb\n"));
    }

    @ParameterizedTest(name = "name [{0}]")
    @CsvSource({"'../etc/x'", "'a/b'", "'..'", "'.'", "''"})
    void namesThatAreNotFileNamesAreRefusedAtTheConverter(String name) {
        String m = error(ETH.replace("name: eth0", "name: '" + name + "'"));
        assertTrue(m.contains("Invalid interface name '" + name + "': it names a keyfile"), m);
        m = error(ETH + "  profile-name: '" + name + "'\n");
        assertTrue(m.contains("Invalid interface eth0 profile-name '" + name + "'"), m);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "192.0.2.0/33|Invalid IPv4 network prefix length '33' in '192.0.2.0/33', should be smaller than 32'",
            "not-a-net|Invalid IP network 'not-a-net': invalid IP address syntax",
            "192.0.2.1/|Invalid IP network prefix length '' in '192.0.2.1/': cannot parse integer from empty string",
            "2001:db8::/129|Invalid IPv6 network prefix length '129' in '2001:db8::/129', should be smaller than 128'",
            "' 192.0.2.1'|Invalid IP network ' 192.0.2.1': invalid IP address syntax"})
    void routeRuleNetworksAreValidated(String net, String expected) {
        String m = error(ETH + "route-rules:\n  config:\n  - {ip-from: '" + net + "', route-table: 100}\n");
        assertEquals("InvalidArgument: " + expected, m);
    }

    @Test
    void routeRuleFamiliesMustAgree() {
        String m = error(ETH + "route-rules:\n  config:\n  - {ip-from: 192.0.2.0/24, ip-to: '2001:db8::/64', route-table: 100}\n");
        assertEquals("InvalidArgument: The ip-to format mismatches with the family set family: ipv4 ip-from: 192.0.2.0/24"
                + " ip-to: 2001:db8::/64 route-table: 100", m);
    }

    @Test
    void routeViaAnInterfaceWithThatFamilyDisabledIsRefused() {
        String m = error(ETH + "  ipv6: {enabled: false}\nroutes:\n  config:\n"
                + "  - {destination: '::/0', next-hop-interface: eth0, next-hop-address: '2001:db8::1'}\n");
        assertTrue(m.endsWith("The next hop interface of desired Route 'destination: ::/0 next-hop-interface: eth0"
                + " next-hop-address: 2001:db8::1' has been marked as IPv6 disabled"), m);
        m = error(ETH + "- {name: eth1, state: absent}\nroutes:\n  config:\n"
                + "  - {destination: 0.0.0.0/0, next-hop-interface: eth1, next-hop-address: 192.0.2.1, metric: 7}\n");
        assertTrue(m.endsWith("Route 'destination: 0.0.0.0/0 next-hop-interface: eth1 next-hop-address: 192.0.2.1"
                + " metric: 7' has been marked as absent"), m);
    }

    @Test
    void routeMetricMinusOneIsTheDefaultAndOthersAreWrittenAsNmstateWritesThem() throws Exception {
        String routes = "routes:\n  config:\n  - {destination: 198.51.100.0/24, next-hop-interface: eth0,"
                + " next-hop-address: 192.0.2.1, metric: %s}\n";
        assertTrue(convert(ETH + routes.formatted("-1")).get(0).content().contains("\nroute0=198.51.100.0/24,192.0.2.1,0\n"));
        // nmstate reads an i64 and writes it as a u32, as nmstatectl gc 2.2.38 does.
        assertTrue(convert(ETH + routes.formatted("-2")).get(0).content().contains(",192.0.2.1,4294967294\n"));
        assertTrue(convert(ETH + routes.formatted("4294967296")).get(0).content().contains(",192.0.2.1,0\n"));
        assertTrue(error(ETH + routes.formatted("'x'")).contains("routes.config[0].metric: invalid digit found in string"));
    }

    @Test
    void ipv4MappedIpv6AddressesAreIpv6() throws Exception {
        String k = convert(ETH + "  ipv6:\n    enabled: true\n    address: [{ip: '::ffff:192.0.2.7', prefix-length: 128}]\n")
                .get(0).content();
        assertTrue(k.contains("\naddress0=::ffff:192.0.2.7/128\n"), k);
        assertEquals("::ffff:192.0.2.7", IpAddress.parse("::ffff:c000:207").toString());
        assertEquals("::c000:207", IpAddress.parse("::192.0.2.7").toString(), "IPv4-compatible form prints in hex");
    }

    @Test
    void manyReferencesToOneMapAreFine() throws Exception {
        StringBuilder sb = new StringBuilder("ipv4-static: &v4 {enabled: true, dhcp: true}\n".replace("ipv4-static", "x-anchor"));
        sb.setLength(0);
        sb.append("interfaces:\n- name: eth0\n  type: ethernet\n  ipv4: &v4 {enabled: true, dhcp: true}\n");
        for (int i = 1; i < 2000; i++) {
            sb.append("- {name: eth").append(i).append(", type: ethernet, ipv4: *v4}\n");
        }
        assertEquals(2000, convert(sb.toString()).size(), "2000 aliases: far beyond SnakeYAML's default of 50");
    }

    @Test
    void aliasBombsStayBounded() {
        // Nine levels of ten references: 10^9 nodes if expanded; aliases are shared, and the
        // structure is not where nmstate expects it, so this is refused at once.
        StringBuilder sb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 10; i++) {
            sb.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++) {
                sb.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            sb.append("]\n");
        }
        sb.append("interfaces: *a9\n");
        String m = error(sb.toString());
        assertTrue(m.contains("unknown field `a0`") || m.contains("expected a map"), m);
    }

    @Test
    void noBreakSpacesAreSpacesAsInNmstatectl() throws Exception {
        String nbsp = ETH.replace("  ", "\u00A0\u00A0");
        assertEquals(convert(ETH), convert(nbsp));
    }

    @Test
    void aBridgeWithThousandsOfPortsConverts() throws Exception {
        StringBuilder sb = new StringBuilder("interfaces:\n- name: br0\n  type: linux-bridge\n  state: up\n"
                + "  ipv4: {enabled: true, address: [{ip: 192.0.2.10, prefix-length: 24}]}\n  bridge:\n    port:\n");
        for (int i = 0; i < 20_000; i++) {
            sb.append("    - name: p").append(i).append(i == 7 ? "\n      stp-priority: 9\n" : "\n");
        }
        List<NetworkKeyfile> files = convert(sb.toString());
        assertEquals(20_001, files.size());
        NetworkKeyfile p7 = files.stream().filter(f -> f.fileName().equals("p7.nmconnection")).findFirst().orElseThrow();
        assertTrue(p7.content().contains("[bridge-port]\npriority=9\n"), p7.content());
    }
}
