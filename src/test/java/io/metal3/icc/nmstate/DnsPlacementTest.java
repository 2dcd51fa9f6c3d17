package io.metal3.icc.nmstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * Every branch of nmstate 2.2's DNS placement for gc, one test each, built from the rule (document
 * order; preferred = static address or auto with auto-dns false; valid = IP enabled, auto or with an
 * address; IPv6 handled first; search/options-only: auto pass, then IP-enabled pass).
 */
class DnsPlacementTest {

    static final String V4_STATIC = "    ipv4: {enabled: true, address: [{ip: 192.0.2.%d, prefix-length: 24}]}\n";
    static final String V6_OFF = "    ipv6: {enabled: false}\n";

    static String iface(String name, String ip) {
        return "  - name: " + name + "\n    type: ethernet\n    state: up\n" + ip;
    }

    /** "iface [section] key" → value, for the dns keys of every keyfile. */
    static Map<String, String> dnsKeys(String yaml) throws NmstateException {
        Map<String, String> out = new TreeMap<>();
        for (NetworkKeyfile f : NmstateConverter.convert(yaml.getBytes(StandardCharsets.UTF_8))) {
            String section = "";
            for (String line : f.content().split("\n")) {
                if (line.startsWith("[")) {
                    section = line;
                } else if (line.startsWith("dns")) {
                    String[] kv = line.split("=", 2);
                    out.put(f.fileName().replace(".nmconnection", "") + " " + section + " " + kv[0], kv[1]);
                }
            }
        }
        return out;
    }

    static String error(String yaml) {
        return assertThrows(NmstateException.class, () -> dnsKeys(yaml)).getMessage();
    }

    @Test
    void staticInterfaceTakesServersSearchAndPriority() throws Exception {
        assertEquals(Map.of("eth0 [ipv4] dns", "192.0.2.53", "eth0 [ipv4] dns-priority", "40",
                        "eth0 [ipv4] dns-search", "example.com;example.org"),
                dnsKeys("interfaces:\n" + iface("eth0", V4_STATIC.formatted(5) + V6_OFF)
                        + "dns-resolver:\n  config:\n    server: [192.0.2.53]\n    search: [example.com, example.org]\n"));
    }

    @Test
    void preferredBeatsDocumentOrder() throws Exception {
        // eth0 DHCP with auto-dns left at its default is only valid; eth1 static is preferred.
        assertEquals(Map.of("eth1 [ipv4] dns", "192.0.2.53", "eth1 [ipv4] dns-priority", "40"),
                dnsKeys("interfaces:\n" + iface("eth0", "    ipv4: {enabled: true, dhcp: true}\n")
                        + iface("eth1", V4_STATIC.formatted(6)) + "dns-resolver:\n  config:\n    server: [192.0.2.53]\n"));
    }

    @Test
    void dhcpWithAutoDnsFalseIsPreferred() throws Exception {
        assertEquals(Map.of("eth0 [ipv4] dns", "192.0.2.53;192.0.2.54", "eth0 [ipv4] dns-priority", "40"),
                dnsKeys("interfaces:\n" + iface("eth0", "    ipv4: {enabled: true, dhcp: true, auto-dns: false}\n")
                        + iface("eth1", V4_STATIC.formatted(6))
                        + "dns-resolver:\n  config:\n    server: [192.0.2.53, 192.0.2.54]\n"));
    }

    @Test
    void dhcpOnlyIsValidAndKeepsAutoDns() throws Exception {
        String yaml = "interfaces:\n" + iface("eth0", "    ipv4: {enabled: true, dhcp: true}\n")
                + "dns-resolver:\n  config:\n    server: [192.0.2.53]\n";
        assertEquals(Map.of("eth0 [ipv4] dns", "192.0.2.53", "eth0 [ipv4] dns-priority", "40"), dnsKeys(yaml),
                "nmstate accepts this; the old converter refused it");
        String keyfile = NmstateConverter.convert(yaml.getBytes(StandardCharsets.UTF_8)).get(0).content();
        assertTrue(keyfile.contains("ignore-auto-dns=false"), keyfile);
    }

    @Test
    void documentOrderNotNameOrder() throws Exception {
        assertEquals(Map.of("eth1 [ipv4] dns", "192.0.2.53", "eth1 [ipv4] dns-priority", "40"),
                dnsKeys("interfaces:\n" + iface("eth1", V4_STATIC.formatted(6)) + iface("eth0", V4_STATIC.formatted(5))
                        + "dns-resolver:\n  config:\n    server: [192.0.2.53]\n"));
    }

    @Test
    void familiesMayLandOnDifferentInterfacesAndTheFirstServerDecidesThePrimary() throws Exception {
        String two = "interfaces:\n" + iface("eth0", V4_STATIC.formatted(5) + V6_OFF)
                + iface("eth1", "    ipv4: {enabled: false}\n    ipv6: {enabled: true, address: [{ip: '2001:db8::5', prefix-length: 64}]}\n");
        assertEquals(Map.of("eth0 [ipv4] dns", "192.0.2.53", "eth0 [ipv4] dns-priority", "40",
                        "eth0 [ipv4] dns-search", "example.com", "eth1 [ipv6] dns", "2001:db8::53",
                        "eth1 [ipv6] dns-priority", "50"),
                dnsKeys(two + "dns-resolver:\n  config:\n    server: [192.0.2.53, '2001:db8::53']\n    search: [example.com]\n"));
        assertEquals(Map.of("eth0 [ipv4] dns", "192.0.2.53", "eth0 [ipv4] dns-priority", "50",
                        "eth1 [ipv6] dns", "2001:db8::53", "eth1 [ipv6] dns-options", "rotate",
                        "eth1 [ipv6] dns-priority", "40", "eth1 [ipv6] dns-search", "example.com"),
                dnsKeys(two + "dns-resolver:\n  config:\n    server: ['2001:db8::53', 192.0.2.53]\n"
                        + "    search: [example.com]\n    options: [rotate]\n"));
    }

    @Test
    void noInterfaceForAFamilyIsAnErrorNamingItsServers() {
        String m = error("interfaces:\n" + iface("eth0", V4_STATIC.formatted(5) + V6_OFF)
                + "dns-resolver:\n  config:\n    server: ['2001:db8::53']\n");
        assertTrue(m.endsWith("Failed to find suitable(IP enabled) interface for DNS server [\"2001:db8::53\"]"), m);
        // A missing `enabled` means disabled.
        m = error("interfaces:\n" + iface("eth0", "    ipv4: {dhcp: true}\n") + "dns-resolver:\n  config:\n    server: [192.0.2.53]\n");
        assertTrue(m.contains("for DNS server [\"192.0.2.53\"]"), m);
        m = error("dns-resolver:\n  config:\n    server: [192.0.2.53]\n");
        assertTrue(m.startsWith("InvalidArgument: Failed to find suitable(IP enabled) interface"), m);
    }

    @Test
    void ipv4InTheMiddleOfIpv6IsNotImplemented() {
        String m = error("interfaces:\n" + iface("eth0", V4_STATIC.formatted(5)) + "dns-resolver:\n  config:\n"
                + "    server: [192.0.2.1, '2001:db8::1', 192.0.2.2]\n");
        assertTrue(m.startsWith("NotImplementedError: Placing IPv4/IPv6 nameserver in the middle"), m);
    }

    @Test
    void scopedServerGoesToItsInterface() throws Exception {
        String yaml = "interfaces:\n" + iface("eth0", V4_STATIC.formatted(5)
                        + "    ipv6: {enabled: true, address: [{ip: '2001:db8::5', prefix-length: 64}]}\n")
                + iface("eth1", "    ipv6: {enabled: true, dhcp: true, autoconf: true}\n")
                + "dns-resolver:\n  config:\n    server: ['fe80::1%eth1', '2001:db8::53']\n    search: [example.com]\n";
        assertEquals(Map.of("eth1 [ipv6] dns", "fe80::1;2001:db8::53", "eth1 [ipv6] dns-priority", "40",
                "eth1 [ipv6] dns-search", "example.com"), dnsKeys(yaml));
    }

    @Test
    void scopedServerChecks() {
        String base = "interfaces:\n" + iface("eth1", "    ipv6: {enabled: true, dhcp: true, autoconf: true}\n")
                + iface("eth2", V4_STATIC.formatted(7) + V6_OFF);
        String m = error(base + "dns-resolver:\n  config:\n    server: ['fe80::1%eth9']\n");
        assertTrue(m.contains("Desired IPv6 link local DNS server fe80::1%eth9 is pointing to interface eth9 which does not exist."), m);
        m = error(base + "dns-resolver:\n  config:\n    server: ['fe80::1%eth2']\n");
        assertTrue(m.contains("Interface eth2 has IPv6 disabled, hence cannot hold desired IPv6 link local DNS server fe80::1%eth2"), m);
        m = error(base + "dns-resolver:\n  config:\n    server: ['fe80::1%eth1', 'fe80::2%eth1']\n");
        assertTrue(m.startsWith("NotImplementedError: Only support IPv6 link local DNS name server(s) pointing to a single"
                + " interface, but got 'eth1 eth1'"), m);
    }

    @Test
    void scopedServerWithoutAnIpv6AddressIsDroppedSilently() throws Exception {
        assertEquals(Map.of("eth0 [ipv4] dns", "192.0.2.53", "eth0 [ipv4] dns-priority", "40"),
                dnsKeys("interfaces:\n" + iface("eth0", V4_STATIC.formatted(5)) + "dns-resolver:\n  config:\n"
                        + "    server: ['nonsense:%eth0', 192.0.2.53]\n"));
    }

    @Test
    void searchOnlyPrefersAnAutoInterfaceOverDocumentOrder() throws Exception {
        assertEquals(Map.of("eth1 [ipv4] dns-priority", "40", "eth1 [ipv4] dns-search", "example.com"),
                dnsKeys("interfaces:\n" + iface("eth0", V4_STATIC.formatted(5) + V6_OFF)
                        + iface("eth1", "    ipv4: {enabled: true, dhcp: true}\n")
                        + "dns-resolver:\n  config:\n    search: [example.com]\n"));
    }

    @Test
    void searchOnlyTriesIpv6FirstOnEachInterface() throws Exception {
        assertEquals(Map.of("eth0 [ipv6] dns-priority", "40", "eth0 [ipv6] dns-search", "example.com"),
                dnsKeys("interfaces:\n" + iface("eth0", V4_STATIC.formatted(5)
                        + "    ipv6: {enabled: true, address: [{ip: '2001:db8::5', prefix-length: 64}]}\n")
                        + "dns-resolver:\n  config:\n    search: [example.com]\n"));
    }

    @Test
    void optionsOnlyGoToTheAutoIpv6Stack() throws Exception {
        assertEquals(Map.of("eth0 [ipv6] dns-options", "rotate;ndots:2", "eth0 [ipv6] dns-priority", "40"),
                dnsKeys("interfaces:\n" + iface("eth0", "    ipv4: {enabled: true, dhcp: true}\n"
                        + "    ipv6: {enabled: true, dhcp: true, autoconf: true}\n")
                        + "dns-resolver:\n  config:\n    options: [rotate, 'ndots:2']\n"));
    }

    @Test
    void searchWithNowhereToGoIsAnError() {
        String m = error("interfaces:\n" + iface("eth0", "    ipv4: {enabled: false}\n" + V6_OFF)
                + "dns-resolver:\n  config:\n    search: [a.example, b.example]\n");
        assertTrue(m.endsWith("Failed to find suitable(IP enabled) interface for DNS searches 'a.example b.example'"), m);
    }

    @Test
    void removedAndIgnoredInterfacesAndPortsAreNotCandidates() throws Exception {
        assertEquals(Map.of("bond0 [ipv4] dns", "192.0.2.53", "bond0 [ipv4] dns-priority", "40"),
                dnsKeys("interfaces:\n  - name: old0\n    state: absent\n"
                        + iface("eth1", "")
                        + "  - name: bond0\n    type: bond\n    state: up\n    link-aggregation: {mode: active-backup, port: [eth1]}\n"
                        + V4_STATIC.formatted(5) + "dns-resolver:\n  config:\n    server: [192.0.2.53]\n"));
    }

    @Test
    void emptyConfigWritesNothing() throws Exception {
        assertEquals(Map.of(), dnsKeys("interfaces:\n" + iface("eth0", V4_STATIC.formatted(5))
                + "dns-resolver:\n  config: {}\n"));
        assertEquals(Map.of(), dnsKeys("interfaces:\n" + iface("eth0", V4_STATIC.formatted(5))
                + "dns-resolver:\n  config:\n    server: []\n    search: []\n"));
    }

    @Test
    void serversAreValidatedAndWrittenCanonically() throws Exception {
        assertEquals(Map.of("eth0 [ipv6] dns", "2001:db8::53;::ffff:192.0.2.1", "eth0 [ipv6] dns-priority", "40"),
                dnsKeys("interfaces:\n" + iface("eth0", "    ipv6: {enabled: true, dhcp: true, autoconf: true}\n")
                        + "dns-resolver:\n  config:\n    server: ['2001:DB8:0:0::53', '::ffff:192.0.2.1']\n"));
        for (String bad : new String[] {"not-an-ip", "192.0.2.053", "192.0.2.1 ", "[2001:db8::1]", "256.1.1.1", "1.2.3"}) {
            String m = error("interfaces:\n" + iface("eth0", V4_STATIC.formatted(5))
                    + "dns-resolver:\n  config:\n    server: ['" + bad + "']\n");
            assertTrue(m.endsWith("Invalid DNS server string " + bad), bad + ": " + m);
        }
    }

    @Test
    void optionsAreValidatedWithNmstatesMessages() {
        String base = "interfaces:\n" + iface("eth0", V4_STATIC.formatted(5)) + "dns-resolver:\n  config:\n    server: [192.0.2.53]\n";
        String m = error(base + "    options: [rotat]\n");
        assertTrue(m.contains("Unsupported DNS option rotat, only support these without value: debug, edns0,"), m);
        assertTrue(m.endsWith("and these with values: ndots:n, timeout:n, attempts"), m);
        m = error(base + "    options: ['rotate:1']\n");
        assertTrue(m.contains("Option 'rotate' is not supported to hold a value, only support these"), m);
        m = error(base + "    search: [\"a.example\\nb\"]\n");
        assertTrue(m.contains("Invalid dns-resolver search domain 'a.example\\x0ab': control character U+000A"), m);
        m = error(base.replace("config:\n", "config:\n    servers: [x]\n"));
        assertTrue(m.contains("unknown field `servers`"), m);
    }
}
