package io.metal3.icc.nmstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** LLDP and ethtool as nmstate 2.2 writes them (rules and worked example from nmstate's source). */
class LldpEthtoolTest {

    static String keyfile(String ifaceBody) throws NmstateException {
        String yaml = "interfaces:\n- name: eth1\n  type: ethernet\n  state: up\n" + ifaceBody;
        return NmstateConverter.convert(yaml.getBytes(StandardCharsets.UTF_8)).get(0).content();
    }

    static String error(String ifaceBody) {
        return assertThrows(NmstateException.class, () -> keyfile(ifaceBody)).getMessage();
    }

    /** The [ethtool] section, or null. */
    static String ethtool(String keyfile) {
        int i = keyfile.indexOf("[ethtool]\n");
        return i < 0 ? null : keyfile.substring(i);
    }

    @ParameterizedTest(name = "lldp enabled: {0} → {1}")
    @CsvSource({"true,1", "false,0", "'yes',1", "'Off',0", "1,1", "0,0", "'Y',1", "'n',0"})
    void lldpGoesToTheConnectionSection(String value, String expected) throws Exception {
        String k = keyfile("  lldp:\n    enabled: " + value + "\n    neighbors: []\n");
        assertTrue(k.contains("interface-name=eth1\nlldp=" + expected + "\ntype=802-3-ethernet\n"), k);
    }

    @Test
    void lldpNeedsEnabledAndABoolean() {
        assertTrue(error("  lldp: {}\n").contains("missing field `enabled`"));
        String m = error("  lldp: {enabled: maybe}\n");
        assertTrue(m.contains("Need to be boolean: 1|0|true|false|yes|no|on|off|y|n"), m);
        assertTrue(error("  lldp: {enabled: true, tlv: x}\n").contains("unknown field `tlv`"));
    }

    @Test
    void nmstatesWorkedEthtoolExample() throws Exception {
        String k = keyfile("""
                  ethtool:
                    pause: {autoneg: false, rx: true, tx: false}
                    feature: {rx: true, gro: true, tx-tcp-segmentation: false}
                    ring: {rx: 1024, tx: 1024}
                    coalesce: {adaptive-rx: true, rx-usecs: 50}
                """);
        assertEquals("""
                [ethtool]
                coalesce-adaptive-rx=1
                coalesce-rx-usecs=50
                feature-gro=true
                feature-rx=true
                feature-tso=false
                pause-autoneg=false
                pause-rx=true
                pause-tx=false
                ring-rx=1024
                ring-tx=1024
                """, ethtool(k));
        assertTrue(k.indexOf("[ipv6]") < k.indexOf("[ethtool]"), "after the IP sections");
    }

    @Test
    void pauseRxTxOnlyWithoutAutonegotiation() throws Exception {
        assertEquals("[ethtool]\npause-autoneg=true\n", ethtool(keyfile("  ethtool:\n    pause: {autoneg: true, rx: true, tx: true}\n")));
        assertEquals("[ethtool]\n", ethtool(keyfile("  ethtool:\n    pause: {rx: true}\n")), "no autoneg given: dropped");
        assertEquals("[ethtool]\n", ethtool(keyfile("  ethtool: {}\n")), "an empty block writes the header");
        assertEquals(null, ethtool(keyfile("  mtu: 1500\n")));
    }

    @Test
    void ringAndCoalesceQuirks() throws Exception {
        assertEquals("[ethtool]\nring-rx-jumbo=8\nring-rx-mini=4\n",
                ethtool(keyfile("  ethtool:\n    ring: {rx-jumbo: 8, rx-mini: '0x4', rx-max: 4096}\n")), "*-max accepted, ignored");
        assertEquals("[ethtool]\ncoalesce-adaptive-tx=0\ncoalesce-tx-frames=3\n",
                ethtool(keyfile("  ethtool:\n    coalesce: {adaptive-tx: false, tx-frames: 3, tx-usecs: 9}\n")),
                "tx-usecs is accepted but never written");
        assertTrue(error("  ethtool:\n    ring: {rx: 4294967296}\n").contains("interfaces: out of range integral type conversion attempted"));
        assertTrue(error("  ethtool:\n    speed: 10\n").contains("unknown field `speed`"));
    }

    @Test
    void featureAliasesAndNames() throws Exception {
        assertEquals("[ethtool]\nfeature-gro=false\nfeature-rxvlan=true\nfeature-sg=true\nfeature-tx-udp_tnl-segmentation=true\n",
                ethtool(keyfile("  ethtool:\n    feature: {rx-gro: true, generic-receive-offload: false, rx-vlan-offload: 'True',"
                        + " sg: '1', tx-udp_tnl-segmentation: true}\n")), "the alias overrides the kernel name");
        String m = error("  ethtool:\n    feature: {ufo: true}\n");
        assertTrue(m.endsWith("InvalidArgument: InvalidArgument:Unsupported ethtool feature feature-tx-udp-fragmentation"), m);
        m = error("  ethtool:\n    feature: {gro: 'yes'}\n");
        assertTrue(m.contains("Invalid feature value, should be boolean"), m);
        m = error("  ethtool:\n    feature: {gro: 1}\n");
        assertTrue(m.contains("Invalid feature value, should be boolean"), "a bare number is not a feature value: " + m);
    }
}
