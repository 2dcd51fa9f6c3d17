package io.metal3.icc.staticmode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticHostTest {

    @Test
    void scanIsSortedNonRecursiveAndSkipsHiddenEntries(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("nm2"), "");
        Files.writeString(dir.resolve("nm0"), "");
        Files.writeString(dir.resolve("worker-1.yml"), "interfaces: []\n");
        Files.writeString(dir.resolve("nm1"), "");
        Files.writeString(dir.resolve(".worker.yaml.swp"), "x");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/inner.yaml"), "x");
        // What a mounted ConfigMap looks like: ..data -> ..2026_xx, name -> ..data/name
        Files.createDirectories(dir.resolve("..2026_11_24"));
        Files.writeString(dir.resolve("..2026_11_24/worker-0.yaml"), "a: b\n");
        Files.createSymbolicLink(dir.resolve("..data"), Path.of("..2026_11_24"));
        Files.createSymbolicLink(dir.resolve("worker-0.yaml"), Path.of("..data/worker-0.yaml"));

        List<StaticHost> hosts = StaticHost.scan(dir);
        assertEquals(List.of("nm0", "nm1", "nm2", "worker-0.yaml", "worker-1.yml"),
                hosts.stream().map(StaticHost::fileName).toList());
        assertEquals("a: b\n", new String(hosts.get(3).nmstate()));
    }

    @Test
    void names() {
        assertEquals("worker-0", StaticHost.imageBaseName("worker-0.yaml"));
        assertEquals("worker-0", StaticHost.imageBaseName("worker-0.yml"));
        assertEquals("worker-0.json", StaticHost.imageBaseName("worker-0.json"));
        assertEquals("nm0", StaticHost.imageBaseName("nm0"));
        assertEquals("worker-0", StaticHost.hostname("worker-0.yaml"));
        assertEquals("worker-0", StaticHost.hostname("worker-0.json"));
        assertEquals("host.example", StaticHost.hostname("host.example.com"));
        assertEquals("nm0", StaticHost.hostname("nm0"));
    }

    @Test
    void missingDirectory(@TempDir Path dir) {
        var e = assertThrows(IOException.class, () -> StaticHost.scan(dir.resolve("nope")));
        assertEquals("NMState directory " + dir.resolve("nope") + " does not exist or is not a directory", e.getMessage());
    }
}
