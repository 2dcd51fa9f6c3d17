package io.metal3.icc.nmstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The NMSTATECTL path, run against stand-in nmstatectl scripts (real processes, real pipes). */
class NmstatectlTest {

    @TempDir
    Path dir;

    Path script(String body) throws IOException {
        Path p = dir.resolve("nmstatectl");
        Files.writeString(p, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void readsKeyfilesFromStdoutAndPassesTheDocumentOnStdin() throws Exception {
        // Echoes stdin into the keyfile, so the test proves the document went through the pipe.
        Path p = script("""
                [ "$1" = gc ] && [ "$2" = /dev/stdin ] || exit 9
                body=$(cat)
                printf 'NetworkManager:\\n- - eth0.nmconnection\\n  - |\\n    [connection]\\n    id=%s\\n' "$body"
                """);
        List<NetworkKeyfile> files = new Nmstatectl(p.toString(), Duration.ofSeconds(10))
                .convert("from-stdin".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(new NetworkKeyfile("eth0.nmconnection", "[connection]\nid=from-stdin\n")), files);
    }

    @Test
    void stderrBecomesTheMessage() throws Exception {
        Path p = script("cat >/dev/null; echo 'INFO starting' >&2; echo 'NmstateError: InvalidArgument: bad ipv4' >&2; exit 1\n");
        var e = assertThrows(NmstateException.class, () -> new Nmstatectl(p.toString(), Duration.ofSeconds(10)).convert(new byte[] {1}));
        assertTrue(e.getMessage().endsWith("NmstateError: InvalidArgument: bad ipv4"), e.getMessage());
    }

    @Test
    void failureWithoutMessageIsAnIoError() throws Exception {
        Path p = script("exit 3\n");
        var e = assertThrows(IOException.class, () -> new Nmstatectl(p.toString(), Duration.ofSeconds(10)).convert(new byte[] {1}));
        assertTrue(e.getMessage().contains("status 3"), e.getMessage());
    }

    @Test
    void hangingBinaryTimesOut() throws Exception {
        Path p = script("sleep 30\n");
        long t0 = System.nanoTime();
        var e = assertThrows(IOException.class, () -> new Nmstatectl(p.toString(), Duration.ofMillis(300)).convert(new byte[] {1}));
        assertTrue(e.getMessage().contains("did not finish"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 20_000_000_000L, "the timeout is enforced");
    }

    @Test
    void missingBinary() {
        var e = assertThrows(IOException.class,
                () -> new Nmstatectl(dir.resolve("nope").toString(), Duration.ofSeconds(1)).convert(new byte[] {1}));
        assertTrue(e.getMessage().startsWith("cannot run nmstatectl (NMSTATECTL="), e.getMessage());
    }

    @Test
    void oldEmptyAnswer() throws Exception {
        assertEquals(List.of(), Nmstatectl.parse("--- {}\n"));
    }

    @Test
    void hostNetworkUsesTheChosenPath() throws Exception {
        Path p = script("cat >/dev/null; printf 'NetworkManager: []\\n'\n");
        var viaBinary = new HostNetwork(new Nmstatectl(p.toString(), Duration.ofSeconds(10)));
        var e = assertThrows(NmstateException.class, () -> viaBinary.keyfiles("interfaces: []".getBytes()));
        assertTrue(e.getMessage().contains("no network configuration"), e.getMessage());
        var builtIn = new HostNetwork(null);
        assertEquals(List.of(), builtIn.keyfiles(null));
        assertEquals(List.of(), builtIn.keyfiles(" \n".getBytes()));
        assertEquals(1, builtIn.keyfiles("interfaces: [{name: eth0, type: ethernet}]".getBytes()).size());
        assertThrows(NmstateException.class, () -> builtIn.keyfiles("interfaces: []".getBytes()));
    }
}
