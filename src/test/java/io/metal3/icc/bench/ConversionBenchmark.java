package io.metal3.icc.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.metal3.icc.nmstate.NetworkKeyfile;
import io.metal3.icc.nmstate.NmstateConverter;

/**
 * Conversions per second of a bonded dual-stack host (bond of two NICs, VLAN, static IPv4 + IPv6,
 * routes, DNS) with the built-in converter. Run: bench/nmstate.sh (not part of the tests).
 */
public final class ConversionBenchmark {

    static final String HOST = """
            interfaces:
            - name: bond0
              type: bond
              state: up
              ipv4: {enabled: false}
              ipv6: {enabled: false}
              link-aggregation:
                mode: 802.3ad
                options: {miimon: '100', lacp_rate: fast, xmit_hash_policy: layer3+4}
                port: [ens3f0, ens3f1]
            - {name: ens3f0, type: ethernet, state: up, mtu: 9000}
            - {name: ens3f1, type: ethernet, state: up, mtu: 9000}
            - name: bond0.120
              type: vlan
              state: up
              mtu: 9000
              vlan: {base-iface: bond0, id: 120}
              ipv4:
                enabled: true
                dhcp: false
                address: [{ip: 192.0.2.41, prefix-length: 24}]
              ipv6:
                enabled: true
                dhcp: false
                autoconf: false
                address: [{ip: 2001:db8:120::41, prefix-length: 64}]
            routes:
              config:
              - {destination: 0.0.0.0/0, next-hop-address: 192.0.2.1, next-hop-interface: bond0.120}
              - {destination: '::/0', next-hop-address: 2001:db8:120::1, next-hop-interface: bond0.120}
            dns-resolver:
              config:
                search: [example.com]
                server: [192.0.2.53, 2001:db8:120::53]
            """;

    private ConversionBenchmark() {
    }

    /** A Linux bridge with as many ports as fit in a 1 MiB Secret (the worst case a Secret can send). */
    static byte[] bigBridge() {
        StringBuilder sb = new StringBuilder("interfaces:\n- name: br0\n  type: linux-bridge\n  state: up\n"
                + "  ipv4: {enabled: true, address: [{ip: 192.0.2.10, prefix-length: 24}]}\n  bridge:\n    port:\n");
        int n = 0;
        while (sb.length() < (1 << 20) - 40) {
            sb.append("    - name: p").append(n++).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("bridge")) {
            byte[] doc = bigBridge();
            for (int round = 1; round <= 8; round++) {
                long t0 = System.nanoTime();
                int files = NmstateConverter.convert(doc).size();
                System.out.printf("1 MiB linux-bridge document (%d bytes, %d keyfiles): %.0f ms%n", doc.length, files,
                        (System.nanoTime() - t0) / 1e6);
            }
            return;
        }
        byte[] yaml = HOST.getBytes(StandardCharsets.UTF_8);
        List<NetworkKeyfile> once = NmstateConverter.convert(yaml);
        System.out.println("keyfiles per conversion: " + once.size() + " " + once.stream().map(NetworkKeyfile::fileName).toList());
        long sink = 0;
        for (int i = 0; i < 20_000; i++) { // warm-up
            sink += NmstateConverter.convert(yaml).size();
        }
        for (int round = 1; round <= 5; round++) {
            int n = 0;
            long t0 = System.nanoTime();
            long end = t0 + 2_000_000_000L;
            while (System.nanoTime() < end) {
                sink += NmstateConverter.convert(yaml).size();
                n++;
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("round %d: %,.0f conversions/s (%.1f us each)%n", round, n / secs, secs * 1e6 / n);
        }
        System.out.println("(sink " + sink + ")");
    }
}
